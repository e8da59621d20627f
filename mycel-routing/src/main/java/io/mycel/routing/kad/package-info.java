/**
 * The libp2p Kademlia DHT, {@code /ipfs/kad/1.0.0} (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md">spec</a>): wire codec
 * ({@link io.mycel.routing.kad.KadCodec}), key space ({@link io.mycel.routing.kad.KadKey}),
 * routing table ({@link io.mycel.routing.kad.RoutingTable}), provider and value record stores,
 * and the service with its iterative lookups ({@link io.mycel.routing.kad.KadDht}).
 */
package io.mycel.routing.kad;
