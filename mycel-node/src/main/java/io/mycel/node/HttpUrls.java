package io.mycel.node;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The URLs under which this machine reaches the node's HTTP listeners (API and gateway). */
public final class HttpUrls {
  private HttpUrls() {}

  /**
   * {@code http://HOST:PORT} of a listener bound at {@code bound}: a wildcard address becomes
   * the loopback address of its family, an IPv6 address is bracketed.
   */
  public static String base(InetSocketAddress bound) {
    InetAddress ip = bound.getAddress();
    String host;
    if (ip == null) {
      host = bound.getHostString();
    } else if (ip.isAnyLocalAddress()) {
      host = ip instanceof Inet6Address ? "[::1]" : "127.0.0.1";
    } else {
      host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
    }
    return "http://" + host + ":" + bound.getPort();
  }
}
