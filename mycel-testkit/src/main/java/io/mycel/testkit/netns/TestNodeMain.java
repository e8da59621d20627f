package io.mycel.testkit.netns;

import io.mycel.content.bitswap.Bitswap;
import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.autonat.AutoNatConfig;
import io.mycel.net.autonat.AutoNatService;
import io.mycel.net.autonat.ReachabilityTracker;
import io.mycel.net.autorelay.AutoRelay;
import io.mycel.net.autorelay.AutoRelayConfig;
import io.mycel.net.dcutr.DcutrConfig;
import io.mycel.net.dcutr.DcutrService;
import io.mycel.net.host.HostConfig;
import io.mycel.net.host.NettyHost;
import io.mycel.net.identify.IdentifyService;
import io.mycel.net.ping.PingService;
import io.mycel.net.relay.RelayClient;
import io.mycel.net.relay.RelayLimits;
import io.mycel.net.relay.RelayService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A node for topology tests, run as its own process inside a network namespace and driven by
 * one-line commands on stdin, each answered by one line on stdout: {@code ok ...} or {@code err
 * message}. The first line is {@code ready <peer id>}.
 *
 * <p>It runs identify, ping, AutoNAT, the relay client, AutoRelay (when AutoNAT says private,
 * on the {@code --static-relay} relays), DCUtR, Bitswap over a memory block store and an echo
 * protocol, and the relay itself with {@code --relay}.
 *
 * <p>Commands: {@code connect|dial <multiaddr>}, {@code dial-relayed <circuit multiaddr>} (a
 * new relayed connection even when a direct one is open), {@code probe}, {@code status}, {@code
 * observed}, {@code servers}, {@code peers}, {@code reservations}, {@code reserve <multiaddr>},
 * {@code put <bytes> <seed>} (a raw block; answers its CID), {@code fetch <cid> <peer id>},
 * {@code echo <peer id> <bytes> [relayed]}, {@code dcutr on|off}, {@code upgrade <peer id>} (DCUtR over
 * the relayed connection), {@code punch <multiaddr> <peer id> client|responder} (one side of a
 * bare TCP simultaneous open), {@code relayed-bytes}, {@code quit}.
 */
public final class TestNodeMain {

  /** How long the node waits for one network operation. */
  static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(20);

  /** Dial-backs cross one LAN: a second without an answer means the NAT dropped the SYN. */
  static final Duration DIAL_BACK_TIMEOUT = Duration.ofSeconds(1);

  static final String ECHO = "/mycel/test/echo/1.0.0";

  private final NettyHost host;
  private final IdentifyService identify;
  private final AutoNatService autonat;
  private final RelayClient relayClient;
  private final RelayService relayService;
  private final MemoryBlockstore blocks = new MemoryBlockstore();
  private final Bitswap bitswap;
  private final DcutrConfig dcutrConfig = DcutrConfig.DEFAULT
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1));
  private DcutrService dcutr;

  private TestNodeMain(Options options) {
    this.host = new NettyHost(Ed25519.generate(), HostConfig.defaults(options.listen, "mycel-testnode/0"));
    this.identify = new IdentifyService(host);
    identify.start();
    host.registry().onChange(identify::pushAll);
    new PingService(host).start();
    host.protocols().register(ECHO, TestNodeMain::echo);
    this.autonat = new AutoNatService(host, AutoNatConfig.DEFAULT
        .withTimeouts(DIAL_BACK_TIMEOUT, Duration.ofSeconds(15))
        .withSchedule(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1)));
    this.relayClient = new RelayClient(host);
    this.relayService = options.relay
        ? new RelayService(host, RelayLimits.defaults()
            .withCircuitCaps(Duration.ofSeconds(options.relaySeconds), options.relayBytes)
            .withReservations(options.relayReservations, 8, Duration.ofHours(1)))
        : null;
    this.bitswap = new Bitswap(host, blocks);
    host.start();
    relayClient.start();
    relayClient.onChange(identify::pushAll);
    if (relayService != null) {
      relayService.start();
    }
    bitswap.start();
    autonat.start();
    new AutoRelay(host, relayClient, autonat, AutoRelayConfig.DEFAULT.withStaticRelays(options.staticRelays),
        identify::pushAll).start();
    this.dcutr = new DcutrService(host, dcutrConfig, autonat::candidateAddresses, host::dialDirect).start();
  }

  private static final class Options {
    final List<Multiaddr> listen = new ArrayList<>();
    final List<Multiaddr> staticRelays = new ArrayList<>();
    boolean relay;
    long relayBytes = RelayLimits.DEFAULT_CIRCUIT_BYTES;
    long relaySeconds = RelayLimits.DEFAULT_CIRCUIT_DURATION.toSeconds();
    int relayReservations = RelayLimits.DEFAULT_MAX_RESERVATIONS;
  }

  public static void main(String[] args) throws Exception {
    Options options = new Options();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--listen" -> { options.listen.add(Multiaddr.parse(value)); i++; }
        case "--static-relay" -> { options.staticRelays.add(Multiaddr.parse(value)); i++; }
        case "--relay" -> options.relay = true;
        case "--relay-bytes" -> { options.relayBytes = Long.parseLong(value); i++; }
        case "--relay-seconds" -> { options.relaySeconds = Long.parseLong(value); i++; }
        case "--relay-reservations" -> { options.relayReservations = Integer.parseInt(value); i++; }
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    TestNodeMain node = new TestNodeMain(options);
    out.println("ready " + node.host.peerId());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.strip().split("\\s+");
      if (words[0].equals("quit")) {
        break;
      }
      try {
        out.println("ok " + node.execute(words));
      } catch (Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
            ? e.getCause() : e;
        out.println("err " + cause.getClass().getSimpleName() + ": "
            + String.valueOf(cause.getMessage()).replace('\n', ' '));
      }
    }
    node.host.close();
    System.exit(0);
  }

  private <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String execute(String[] words) throws Exception {
    return switch (words[0]) {
      case "connect", "dial" -> {
        Connection connection = await(host.dial(Multiaddr.parse(words[1])));
        yield connection.remotePeer() + " " + kind(connection);
      }
      case "dial-relayed" -> {
        Connection connection = await(relayClient.dial(Multiaddr.parse(words[1])));
        yield connection.remotePeer() + " " + kind(connection);
      }
      case "probe" -> format(await(autonat.probe()));
      case "status" -> format(autonat.status());
      case "servers" -> Integer.toString(autonat.serverCount());
      case "observed" -> autonat.observedAddresses().stream().map(Multiaddr::toString)
          .collect(Collectors.joining(" "));
      case "peers" -> host.connections().stream()
          .map(c -> c.remotePeer() + "@" + c.remoteAddress()).collect(Collectors.joining(" "));
      case "reservations" -> relayClient.reservations().stream()
          .map(r -> r.relay().toString()).collect(Collectors.joining(" "));
      case "reserve" -> await(relayClient.reserve(Multiaddr.parse(words[1]))).relay().toString();
      case "put" -> {
        byte[] data = new byte[Integer.parseInt(words[1])];
        new Random(Long.parseLong(words[2])).nextBytes(data);
        Cid cid = Cid.v1(Multicodec.RAW, Multihash.sha2_256(data));
        blocks.put(new Block(cid, data));
        bitswap.blockAdded(cid);
        yield cid.toString();
      }
      case "fetch" -> {
        PeerId peer = PeerId.parse(words[2]);
        var session = bitswap.newSession(List.of(peer));
        try {
          byte[] data = await(session.get(Cid.parse(words[1])));
          yield data.length + " " + host.connections(peer).stream().map(TestNodeMain::kind)
              .collect(Collectors.joining(","));
        } finally {
          session.close();
        }
      }
      case "echo" -> {
        PeerId peer = PeerId.parse(words[1]);
        Stream stream = words.length > 3 && words[3].equals("relayed")
            ? await(host.connections(peer).stream().filter(Connection::isRelayed).findFirst()
                .orElseThrow(() -> new IOException("no relayed connection to " + peer))
                .openStream(ECHO))
            : await(host.newStream(peer, List.of(ECHO)));
        String kind = kind(stream.connection());
        byte[] sent = new byte[Integer.parseInt(words[2])];
        new Random(1).nextBytes(sent);
        CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
          try {
            return stream.input().readAllBytes();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, command -> Thread.ofVirtual().start(command));
        OutputStream out = stream.output();
        out.write(sent);
        out.flush();
        stream.closeWrite();
        byte[] received = await(back);
        if (!Arrays.equals(sent, received)) {
          throw new IOException("echo returned " + received.length + " of " + sent.length + " bytes");
        }
        yield kind;
      }
      case "dcutr" -> {
        if (words[1].equals("off")) {
          dcutr.close();
        } else {
          dcutr = new DcutrService(host, dcutrConfig, autonat::candidateAddresses, host::dialDirect).start();
        }
        yield words[1];
      }
      case "upgrade" -> {
        PeerId peer = PeerId.parse(words[1]);
        Connection relayed = host.connections(peer).stream().filter(Connection::isRelayed).findFirst()
            .orElseThrow(() -> new IOException("no relayed connection to " + peer));
        yield dcutr.upgrade(relayed).remoteAddress().toString();
      }
      case "connections" -> host.connections(PeerId.parse(words[1])).stream()
          .map(c -> kind(c) + (c.isOpen() ? "" : "(closed)")).collect(Collectors.joining(" "));
      case "punch" -> {
        Connection direct = await(host.dialDirect(Multiaddr.parse(words[1]), PeerId.parse(words[2]),
            words[3].equals("responder")));
        yield direct.remoteAddress() + " " + (direct.isInitiator() ? "initiator" : "responder");
      }
      case "relayed-bytes" -> {
        if (relayService == null) {
          throw new IllegalStateException("this node is not a relay");
        }
        yield Long.toString(relayService.meter().totalBytes());
      }
      default -> throw new IllegalArgumentException("unknown command " + words[0]);
    };
  }

  private static String kind(Connection connection) {
    return connection.isRelayed() ? "relayed" : "direct";
  }

  private static void echo(Stream stream) throws IOException {
    InputStream in = stream.input();
    OutputStream out = stream.output();
    in.transferTo(out);
    out.flush();
    stream.closeWrite();
  }

  private static String format(ReachabilityTracker.Status status) {
    return status.reachability() + " " + status.confidence() + " "
        + (status.publicAddress() == null ? "-" : status.publicAddress());
  }
}
