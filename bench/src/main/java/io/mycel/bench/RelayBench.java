package io.mycel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.host.NettyHost;
import io.mycel.net.relay.RelayClient;
import io.mycel.net.relay.RelayLimits;
import io.mycel.net.relay.RelayService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A relayed connection against a direct one on the same loopback topology: peers A and B in
 * this process, the relay R in a child process of its own so that its CPU time can be read
 * from the operating system. Figures: throughput of one stream and of 16 streams, direct
 * (A to B) and relayed (A to R to B, Noise and Yamux end to end), each the median of three
 * runs; and R's CPU seconds per relayed GiB, over all relayed runs.
 *
 * <p>The relay runs without caps or rate limit (an owner who shares bandwidth without limit).
 *
 * <p>Usage: {@code RelayBench [--mib M]}; prints one JSON object.
 */
public final class RelayBench {
  public static void main(String[] args) throws Exception {
    int mib = 512;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mib" -> mib = Integer.parseInt(args[++i]);
        case "--serve-relay" -> {
          serveRelay();
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    final int size = mib;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("javaVersion", Runtime.version().toString());
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("mib", mib);

    Process relayProcess = startRelayProcess();
    List<NettyHost> hosts = new ArrayList<>();
    try {
      BufferedReader relayOut = new BufferedReader(
          new InputStreamReader(relayProcess.getInputStream(), StandardCharsets.UTF_8));
      Multiaddr relay = Multiaddr.parse(relayOut.readLine().trim());
      NettyHost b = NetBench.host();
      hosts.add(b);
      b.protocols().register(NetBench.SINK, NetBench::sink);
      RelayClient.Reservation reservation =
          new RelayClient(b).start().reserve(relay).get(10, TimeUnit.SECONDS);

      NettyHost directClient = NetBench.host();
      hosts.add(directClient);
      Connection direct = directClient.dial(b.listenAddresses().get(0).withPeerId(b.peerId()))
          .get(10, TimeUnit.SECONDS);
      NettyHost relayedClient = NetBench.host();
      hosts.add(relayedClient);
      new RelayClient(relayedClient).start();
      Connection relayed = relayedClient.dial(reservation.addresses().get(0).withPeerId(b.peerId()))
          .get(10, TimeUnit.SECONDS);
      if (!relayed.isRelayed()) {
        throw new IllegalStateException("the relayed dial gave a direct connection");
      }

      for (Connection c : List.of(direct, relayed)) { // warm-up: the JIT compiles both paths
        NetBench.throughput(c, Math.max(64, mib / 4), 1);
        NetBench.throughput(c, Math.max(64, mib / 4), 16);
      }
      double directOne = NetBench.median(() -> NetBench.throughput(direct, size, 1));
      double directSixteen = NetBench.median(() -> NetBench.throughput(direct, size, 16));

      Duration cpuBefore = cpu(relayProcess);
      double relayedOne = NetBench.median(() -> NetBench.throughput(relayed, size, 1));
      double relayedSixteen = NetBench.median(() -> NetBench.throughput(relayed, size, 16));
      Duration cpuUsed = cpu(relayProcess).minus(cpuBefore);
      double relayedGib = 6.0 * size / 1024;

      result.put("directOneStreamMiBps", directOne);
      result.put("relayedOneStreamMiBps", relayedOne);
      result.put("relayedOverDirectOneStream", relayedOne / directOne);
      result.put("directSixteenStreamsMiBps", directSixteen);
      result.put("relayedSixteenStreamsMiBps", relayedSixteen);
      result.put("relayedOverDirectSixteenStreams", relayedSixteen / directSixteen);
      result.put("relayCpuSecondsPerGiB", cpuUsed.toNanos() / 1e9 / relayedGib);
    } finally {
      hosts.forEach(NettyHost::close);
      relayProcess.getOutputStream().close();
      if (!relayProcess.waitFor(10, TimeUnit.SECONDS)) {
        relayProcess.destroy();
      }
    }
    System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(result));
    System.exit(0);
  }

  /** The relay, in this same program started again with {@code --serve-relay}. */
  private static Process startRelayProcess() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), RelayBench.class.getName(), "--serve-relay"));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static Duration cpu(Process process) {
    return process.toHandle().info().totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("the OS does not report the relay's CPU time"));
  }

  /** Runs a relay with no caps until standard input closes; prints its address first. */
  private static void serveRelay() throws Exception {
    try (NettyHost relay = NetBench.host()) {
      new RelayService(relay, RelayLimits.defaults().withCircuitCaps(Duration.ZERO, 0)).start();
      System.out.println(relay.listenAddresses().get(0).withPeerId(relay.peerId()));
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    System.exit(0);
  }
}
