package io.mycel.routing.mdns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Parameters and limits of mDNS discovery (<a
 * href="https://github.com/libp2p/specs/blob/master/discovery/mdns.md">libp2p mDNS</a>, <a
 * href="https://www.rfc-editor.org/rfc/rfc6762">RFC 6762</a>).
 *
 * @param group the IPv4 multicast group
 * @param port the UDP port of the group; other values than 5353 keep a test network apart
 * @param serviceName the DNS-SD service queried and announced
 * @param interval how often the local network is asked for peers (the first query goes at start)
 * @param ttl the time to live announced with this peer's records
 * @param maxPacketBytes the largest packet read or written; a larger one is ignored
 * @param maxAddresses addresses taken from one peer's announcement; the rest is ignored
 * @param maxPeersPerResponse peers taken from one response; the rest is ignored
 * @param interfaces names of the network interfaces to use; empty for every interface that is up
 *     and can multicast, and the loopback interface
 */
public record MdnsConfig(
    InetAddress group,
    int port,
    String serviceName,
    Duration interval,
    Duration ttl,
    int maxPacketBytes,
    int maxAddresses,
    int maxPeersPerResponse,
    List<String> interfaces) {

  public static final int DEFAULT_PORT = 5353;
  public static final String DEFAULT_SERVICE_NAME = "_p2p._udp.local";
  /** The query interval of js-libp2p's mDNS. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  /** The TTL the spec's implementations announce (two minutes). */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(2);
  /** RFC 6762 section 17: a multicast DNS packet is at most 9000 bytes, headers included. */
  public static final int DEFAULT_MAX_PACKET_BYTES = 9000;
  public static final int DEFAULT_MAX_ADDRESSES = 32;
  /** A responder announces itself; a few more allow for proxies, not for a flood of made-up peers. */
  public static final int DEFAULT_MAX_PEERS_PER_RESPONSE = 16;
  /** A TXT character-string is at most 255 bytes (RFC 6763 section 6.1). */
  public static final int MAX_TXT_STRING_BYTES = 255;

  public static final MdnsConfig DEFAULT = new MdnsConfig(defaultGroup(), DEFAULT_PORT,
      DEFAULT_SERVICE_NAME, DEFAULT_INTERVAL, DEFAULT_TTL, DEFAULT_MAX_PACKET_BYTES,
      DEFAULT_MAX_ADDRESSES, DEFAULT_MAX_PEERS_PER_RESPONSE, List.of());

  public MdnsConfig {
    Objects.requireNonNull(group, "group");
    if (!(group instanceof Inet4Address) || !group.isMulticastAddress()) {
      throw new IllegalArgumentException("mDNS group must be an IPv4 multicast address: " + group);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("mDNS port must be 1..65535: " + port);
    }
    Objects.requireNonNull(serviceName, "serviceName");
    if (!serviceName.endsWith(".local") || serviceName.length() > 200) {
      throw new IllegalArgumentException("mDNS service name must end in .local: " + serviceName);
    }
    positive(interval, "interval");
    positive(ttl, "ttl");
    if (maxPacketBytes < 512 || maxPacketBytes > 65507) {
      throw new IllegalArgumentException("mDNS maxPacketBytes must be 512..65507: " + maxPacketBytes);
    }
    if (maxAddresses < 1) {
      throw new IllegalArgumentException("mDNS maxAddresses must be positive: " + maxAddresses);
    }
    if (maxPeersPerResponse < 1) {
      throw new IllegalArgumentException("mDNS maxPeersPerResponse must be positive: "
          + maxPeersPerResponse);
    }
    interfaces = List.copyOf(interfaces);
  }

  public MdnsConfig withPort(int port) {
    return new MdnsConfig(group, port, serviceName, interval, ttl, maxPacketBytes, maxAddresses,
        maxPeersPerResponse, interfaces);
  }

  public MdnsConfig withInterval(Duration interval) {
    return new MdnsConfig(group, port, serviceName, interval, ttl, maxPacketBytes, maxAddresses,
        maxPeersPerResponse, interfaces);
  }

  public MdnsConfig withInterfaces(List<String> interfaces) {
    return new MdnsConfig(group, port, serviceName, interval, ttl, maxPacketBytes, maxAddresses,
        maxPeersPerResponse, interfaces);
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("mDNS " + name + " must be positive: " + value);
    }
  }

  private static InetAddress defaultGroup() {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 251});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
