/**
 * Circuit Relay v2 (<a
 * href="https://github.com/libp2p/specs/blob/master/relay/circuit-v2.md">spec</a>): {@link
 * io.mycel.net.relay.RelayService} is the hop side (a node that relays, with owner-set {@link
 * io.mycel.net.relay.RelayLimits} and a {@link io.mycel.net.relay.RelayMeter} of the bytes it
 * relays); {@link io.mycel.net.relay.RelayClient} reserves slots on relays, answers the stop
 * protocol, and dials {@code /p2p-circuit} addresses. A relayed connection is a real connection
 * of the host, secured by Noise and multiplexed by Yamux end to end over a relayed stream.
 */
package io.mycel.net.relay;
