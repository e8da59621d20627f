package io.mycel.routing.mdns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Multicast on the loopback interface, on a port of its own so that tests stay apart. */
final class MdnsTesting {
  private MdnsTesting() {}

  /** The loopback interface's name; aborts the test when the kernel offers none. */
  static String loopbackInterface() throws SocketException {
    NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    Assumptions.assumeTrue(loopback != null && loopback.isUp(),
        "no loopback interface is up, so there is nothing to multicast on");
    return loopback.getName();
  }

  /** A UDP port free right now, to use as this test's mDNS port. */
  static int freeUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A config on the loopback interface and a port of this test's own. */
  static MdnsConfig loopbackConfig() throws IOException {
    return MdnsConfig.DEFAULT.withPort(freeUdpPort()).withInterfaces(List.of(loopbackInterface()));
  }

  /** Starts discovery, aborting the test with the reason when the kernel offers no multicast. */
  static MdnsDiscovery start(io.mycel.core.peer.PeerId self,
      java.util.function.Supplier<List<io.mycel.core.multiaddr.Multiaddr>> addresses,
      MdnsConfig config, MdnsDiscovery.Listener listener) throws IOException {
    try {
      return MdnsDiscovery.start(self, addresses, config, listener);
    } catch (IOException e) {
      Assumptions.abort("mDNS cannot run here: " + e.getMessage());
      throw e;
    }
  }
}
