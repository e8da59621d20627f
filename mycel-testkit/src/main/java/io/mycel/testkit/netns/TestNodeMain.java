package io.mycel.testkit.netns;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.autonat.AutoNatConfig;
import io.mycel.net.autonat.AutoNatService;
import io.mycel.net.autonat.ReachabilityTracker;
import io.mycel.net.host.HostConfig;
import io.mycel.net.host.NettyHost;
import io.mycel.net.identify.IdentifyService;
import io.mycel.net.ping.PingService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A node for topology tests, run as its own process inside a network namespace and driven by
 * one-line commands on stdin, each answered by one line on stdout: {@code ok ...} or {@code err
 * message}. The first line is {@code ready <peer id>}.
 *
 * <p>Commands: {@code connect <multiaddr>}, {@code probe} (one AutoNAT round), {@code status},
 * {@code servers} (AutoNAT servers connected), {@code punch <multiaddr> <peer id>
 * client|responder} (one side of a TCP simultaneous open),
 * {@code observed}, {@code peers}, {@code quit}. Arguments: {@code --listen <multiaddr>}
 * (repeatable).
 */
public final class TestNodeMain {

  /** How long the node waits for one network operation. */
  static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(20);

  /** Dial-backs cross one LAN: a second without an answer means the NAT dropped the SYN. */
  static final Duration DIAL_BACK_TIMEOUT = Duration.ofSeconds(1);

  private final NettyHost host;
  private final AutoNatService autonat;

  private TestNodeMain(List<Multiaddr> listen) {
    this.host = new NettyHost(Ed25519.generate(), HostConfig.defaults(listen, "mycel-testnode/0"));
    new IdentifyService(host).start();
    new PingService(host).start();
    AutoNatConfig config = AutoNatConfig.DEFAULT
        .withTimeouts(DIAL_BACK_TIMEOUT, Duration.ofSeconds(15))
        .withSchedule(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
    this.autonat = new AutoNatService(host, config);
    host.start();
    autonat.start();
  }

  public static void main(String[] args) throws Exception {
    List<Multiaddr> listen = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--listen") && i + 1 < args.length) {
        listen.add(Multiaddr.parse(args[++i]));
      } else {
        System.err.println("unknown argument " + args[i]);
        System.exit(2);
      }
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    TestNodeMain node = new TestNodeMain(listen);
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
        out.println("err " + (e.getMessage() == null ? e.toString() : e.getMessage()).replace('\n', ' '));
      }
    }
    node.autonat.close();
    node.host.close();
    System.exit(0);
  }

  private String execute(String[] words) throws Exception {
    return switch (words[0]) {
      case "connect" -> {
        Connection connection = host.dial(Multiaddr.parse(words[1]))
            .get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        yield connection.remotePeer().toString();
      }
      case "punch" -> {
        Connection direct = host.dialDirect(Multiaddr.parse(words[1]), PeerId.parse(words[2]),
                words[3].equals("responder"))
            .get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        yield direct.remoteAddress() + " " + (direct.isInitiator() ? "initiator" : "responder");
      }
      case "probe" -> format(autonat.probe().get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      case "servers" -> Integer.toString(autonat.serverCount());
      case "status" -> format(autonat.status());
      case "observed" -> autonat.observedAddresses().stream().map(Multiaddr::toString)
          .collect(Collectors.joining(" "));
      case "peers" -> host.connections().stream()
          .map(c -> c.remotePeer() + "@" + c.remoteAddress()).collect(Collectors.joining(" "));
      default -> throw new IllegalArgumentException("unknown command " + words[0]);
    };
  }

  private static String format(ReachabilityTracker.Status status) {
    return status.reachability() + " " + status.confidence() + " "
        + (status.publicAddress() == null ? "-" : status.publicAddress());
  }
}
