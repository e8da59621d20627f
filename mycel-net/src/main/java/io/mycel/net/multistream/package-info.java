/**
 * multistream-select 1.0, the protocol negotiation of libp2p (<a
 * href="https://github.com/libp2p/specs/blob/master/connections/README.md#multistream-select">spec</a>):
 * {@link io.mycel.net.multistream.MultistreamMessages} encodes and decodes the messages, {@link
 * io.mycel.net.multistream.Multistream} negotiates over blocking streams (every multiplexed
 * stream), {@link io.mycel.net.multistream.MultistreamHandler} over a Netty channel (the
 * connection upgrade).
 */
package io.mycel.net.multistream;
