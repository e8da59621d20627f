/**
 * Direct Connection Upgrade through Relay (<a
 * href="https://github.com/libp2p/specs/blob/master/relay/DCUtR.md">DCUtR</a>): two peers that
 * meet over a relayed connection exchange their observed addresses, time a simultaneous dial from
 * the measured round trip, and move to the direct connection when the hole punch works.
 */
package io.mycel.net.dcutr;
