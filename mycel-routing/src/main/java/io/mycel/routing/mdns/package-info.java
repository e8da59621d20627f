/**
 * Peer discovery on the local network with multicast DNS, as the <a
 * href="https://github.com/libp2p/specs/blob/master/discovery/mdns.md">libp2p mDNS spec</a>
 * describes it: {@link io.mycel.routing.mdns.MdnsMessages} encodes and checks the DNS messages
 * (no I/O), {@link io.mycel.routing.mdns.MdnsDiscovery} sends the queries and answers them on a
 * multicast socket, {@link io.mycel.routing.mdns.MdnsConfig} holds its limits.
 */
package io.mycel.routing.mdns;
