package io.mycel.net.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.MycelNetException;
import io.mycel.net.Stream;
import io.mycel.net.autonat.AutoNatV2Client.Result;
import io.mycel.net.autonat.AutoNatV2Client.Verdict;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialDataResponse;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialRequest;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialResponse;
import io.mycel.net.autonat.pb.AutoNatV2Protos.Message;
import io.mycel.net.host.NettyHost;
import io.mycel.net.testing.NettyLeakDetection;
import io.mycel.net.testing.TestHosts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AutoNAT v2 between real hosts on loopback (private addresses allowed, as loopback is private). */
@ExtendWith(NettyLeakDetection.class)
class AutoNatV2Test {

  @RegisterExtension final TestHosts hosts = new TestHosts();

  private static final AutoNatConfig CONFIG = AutoNatConfig.DEFAULT.withPrivateAddresses(true)
      .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(10));

  private record Pair(NettyHost client, NettyHost server, AutoNatV2Client v2, Connection connection) {}

  private Pair pair(AutoNatConfig serverConfig, long maxDialData) throws Exception {
    NettyHost server = hosts.start();
    new AutoNatV2Server(server, serverConfig).start();
    NettyHost client = hosts.start();
    AutoNatV2Client v2 = new AutoNatV2Client(client, Duration.ofSeconds(10), maxDialData, new Random(1)).start();
    Connection connection = client.dial(server.listenAddresses().get(0).withPeerId(server.peerId()))
        .get(10, TimeUnit.SECONDS);
    return new Pair(client, server, v2, connection);
  }

  @Test
  void listenAddressIsReachableAndTheNonceCameBack() throws Exception {
    Pair p = pair(CONFIG, AutoNatV2Client.DEFAULT_MAX_DIAL_DATA);
    Multiaddr listen = p.client().listenAddresses().get(0);

    Result result = p.v2().check(p.connection(), List.of(listen));

    assertThat(result).isEqualTo(new Result(Verdict.REACHABLE, listen));
    assertThat(p.v2().dialDataSent()).isZero();
  }

  @Test
  void closedPortIsUnreachable() throws Exception {
    Pair p = pair(CONFIG, AutoNatV2Client.DEFAULT_MAX_DIAL_DATA);
    Multiaddr closed = Multiaddr.parse("/ip4/127.0.0.1/tcp/1");

    assertThat(p.v2().check(p.connection(), List.of(closed))).isEqualTo(new Result(Verdict.UNREACHABLE, closed));
  }

  @Test
  void privateAddressIsRefusedByDefault() throws Exception {
    Pair p = pair(AutoNatConfig.DEFAULT, AutoNatV2Client.DEFAULT_MAX_DIAL_DATA);

    Result result = p.v2().check(p.connection(), List.of(p.client().listenAddresses().get(0)));

    assertThat(result).isEqualTo(new Result(Verdict.UNKNOWN, null));
  }

  @Test
  void addressOnAnotherIpCostsDialDataFirst() throws Exception {
    Pair p = pair(CONFIG, AutoNatV2Client.DEFAULT_MAX_DIAL_DATA);
    Multiaddr otherIp = Multiaddr.parse("/ip4/127.0.0.2/tcp/1");

    Result result = p.v2().check(p.connection(), List.of(otherIp));

    assertThat(result).isEqualTo(new Result(Verdict.UNREACHABLE, otherIp));
    assertThat(p.v2().dialDataSent()).isGreaterThanOrEqualTo(AutoNatV2Server.DIAL_DATA_BYTES);
  }

  @Test
  void clientThatWillNotPayTheDialDataAborts() throws Exception {
    Pair p = pair(CONFIG, 1000);

    assertThatThrownBy(() -> p.v2().check(p.connection(), List.of(Multiaddr.parse("/ip4/127.0.0.2/tcp/1"))))
        .isInstanceOf(MycelNetException.class)
        .hasMessageContaining("dial data");
    assertThat(p.v2().dialDataSent()).isZero();
  }

  @Test
  void peerPastTheRateLimitIsRejected() throws Exception {
    Pair p = pair(CONFIG.withRateLimits(1, 30, Duration.ofMinutes(1)), AutoNatV2Client.DEFAULT_MAX_DIAL_DATA);
    Multiaddr listen = p.client().listenAddresses().get(0);
    p.v2().check(p.connection(), List.of(listen));

    assertThat(p.v2().check(p.connection(), List.of(listen))).isEqualTo(new Result(Verdict.UNKNOWN, null));
  }

  @Test
  void malformedRequestResetsTheStream() throws Exception {
    Pair p = pair(CONFIG, AutoNatV2Client.DEFAULT_MAX_DIAL_DATA);

    try (Stream stream = p.connection().openStream(AutoNatV2Server.DIAL_REQUEST).get(10, TimeUnit.SECONDS)) {
      AutoNatMessages.write(stream.output(), new byte[] {(byte) 0xFF, 0x13, 0x37});
      assertNoAnswer(stream);
    }
  }

  @Test
  void oversizedDialDataChunkResetsTheStream() throws Exception {
    Pair p = pair(CONFIG, AutoNatV2Client.DEFAULT_MAX_DIAL_DATA);

    try (Stream stream = p.connection().openStream(AutoNatV2Server.DIAL_REQUEST).get(10, TimeUnit.SECONDS)) {
      AutoNatV2Wire.write(stream.output(), Message.newBuilder().setDialRequest(DialRequest.newBuilder()
          .setNonce(7).addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/127.0.0.2/tcp/1").bytes()))).build());
      Message asked = AutoNatV2Wire.read(stream.input(), Message.parser());
      assertThat(asked.hasDialDataRequest()).isTrue();
      AutoNatV2Wire.write(stream.output(), Message.newBuilder().setDialDataResponse(DialDataResponse.newBuilder()
          .setData(ByteString.copyFrom(new byte[AutoNatV2Server.MAX_DIAL_DATA_CHUNK + 1]))).build());
      assertNoAnswer(stream);
    }
  }

  @Test
  void responseWhereARequestBelongsResetsTheStream() throws Exception {
    Pair p = pair(CONFIG, AutoNatV2Client.DEFAULT_MAX_DIAL_DATA);

    try (Stream stream = p.connection().openStream(AutoNatV2Server.DIAL_REQUEST).get(10, TimeUnit.SECONDS)) {
      AutoNatV2Wire.write(stream.output(), Message.newBuilder().setDialResponse(
          DialResponse.newBuilder().setStatus(DialResponse.ResponseStatus.OK)).build());
      assertNoAnswer(stream);
    }
  }

  private static void assertNoAnswer(Stream stream) {
    int first;
    try {
      first = stream.input().read();
    } catch (IOException e) {
      first = -1;
    }
    assertThat(first).isEqualTo(-1);
  }
}
