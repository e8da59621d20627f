/**
 * AutoRelay: a node that AutoNAT finds unreachable reserves slots on relays (configured ones, and
 * peers it has met, through the DHT among others, that offer the Circuit Relay v2 hop protocol)
 * and advertises the resulting {@code /p2p-circuit} addresses.
 */
package io.mycel.net.autorelay;
