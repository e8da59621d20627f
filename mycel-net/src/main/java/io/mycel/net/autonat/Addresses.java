package io.mycel.net.autonat;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multiaddr.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/** What NAT traversal needs to know about an address: its IP, and whether it is a public TCP one. */
public final class Addresses {

  private Addresses() {}

  /** The IP of a direct {@code /ip4|ip6/.../tcp/...} address; empty for relayed or DNS ones. */
  public static Optional<InetAddress> tcpIp(Multiaddr address) {
    if (address == null || address.has(Protocol.P2P_CIRCUIT) || address.valueOf(Protocol.TCP).isEmpty()
        || (address.valueOf(Protocol.IP4).isEmpty() && address.valueOf(Protocol.IP6).isEmpty())) {
      return Optional.empty();
    }
    try {
      InetSocketAddress socket = address.withoutPeerId().toSocketAddress();
      return Optional.ofNullable(socket.getAddress());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Loopback, link-local, RFC 1918, unique-local IPv6, CGNAT (100.64/10) or unspecified. */
  public static boolean isPrivate(InetAddress ip) {
    if (ip.isLoopbackAddress() || ip.isLinkLocalAddress() || ip.isSiteLocalAddress()
        || ip.isAnyLocalAddress()) {
      return true;
    }
    byte[] b = ip.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
    }
    return (b[0] & 0xFE) == 0xFC;
  }
}
