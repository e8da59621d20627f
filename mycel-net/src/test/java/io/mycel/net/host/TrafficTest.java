package io.mycel.net.host;

import static io.mycel.net.host.HostTest.addressOf;
import static io.mycel.net.host.HostTest.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.ping.PingService;
import io.mycel.net.testing.Echo;
import io.mycel.net.testing.TestHosts;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host's traffic counters move with real streams between two hosts on loopback. */
class TrafficTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();

  @Test
  void echoedBytesAreCountedPerProtocolOnBothSides() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    Connection connection = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    int size = 100_000;

    try (Stream stream = connection.openStream(TestHosts.ECHO).get(10, TimeUnit.SECONDS)) {
      assertThat(Echo.roundTrip(stream, size, 7)).isTrue();
    }

    Traffic.ProtocolTotals sent = a.traffic().protocolTotals(TestHosts.ECHO);
    assertThat(sent.bytesOut()).isEqualTo(size);
    assertThat(sent.bytesIn()).isEqualTo(size);
    assertThat(sent.streamsOpened()).isEqualTo(1);
    awaitCondition(() -> b.traffic().protocolTotals(TestHosts.ECHO).bytesOut() == size);
    assertThat(b.traffic().protocolTotals(TestHosts.ECHO).bytesIn()).isEqualTo(size);
    awaitCondition(() -> a.traffic().protocolTotals(TestHosts.ECHO).streamsOpen() == 0);
    awaitCondition(() -> b.traffic().protocolTotals(TestHosts.ECHO).streamsOpen() == 0);
  }

  @Test
  void connectionBytesIncludeTheFramingAroundEveryProtocol() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    Connection connection = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);

    PingService.ping(connection).get(10, TimeUnit.SECONDS);

    Traffic.ProtocolTotals ping = a.traffic().protocolTotals(PingService.ID);
    assertThat(ping.bytesOut()).isEqualTo(32);
    assertThat(ping.bytesIn()).isEqualTo(32);
    long payloadOut = a.traffic().byProtocol().values().stream()
        .mapToLong(Traffic.ProtocolTotals::bytesOut).sum();
    Traffic.ConnectionTotals tcp = a.traffic().connections();
    assertThat(tcp.bytesOut()).isGreaterThan(payloadOut);
    assertThat(tcp.bytesIn()).isGreaterThan(32);
    assertThat(tcp.connectionsOpened()).isEqualTo(1);
    awaitCondition(() -> b.traffic().connections().bytesIn() >= a.traffic().connections().bytesOut()
        && b.traffic().connections().connectionsOpened() == 1);
  }

  @Test
  void aProtocolNeverNegotiatedCountsZero() {
    NettyHost a = hosts.start();

    assertThat(a.traffic().protocolTotals("/never/1.0.0"))
        .isEqualTo(new Traffic.ProtocolTotals(0, 0, 0, 0));
    assertThat(a.traffic().connections()).isEqualTo(new Traffic.ConnectionTotals(0, 0, 0));
  }
}
