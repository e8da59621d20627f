/**
 * The ping protocol {@code /ipfs/ping/1.0.0} (<a
 * href="https://github.com/libp2p/specs/blob/master/ping/ping.md">spec</a>): {@link
 * io.mycel.net.ping.PingService} answers pings, {@link io.mycel.net.ping.PingClient} sends them,
 * {@link io.mycel.net.ping.PingService.PingSession} repeats round trips on one stream.
 */
package io.mycel.net.ping;
