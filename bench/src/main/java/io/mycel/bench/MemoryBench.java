package io.mycel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.host.HostConfig;
import io.mycel.net.host.NettyHost;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Resident memory of a {@code mycel daemon} process: idle, and holding 1,000 open connections
 * (each from a distinct peer, all secured and multiplexed).
 *
 * <p>Usage: {@code MemoryBench [--launcher ./mycel] [--connections N]}; prints one JSON object.
 */
public final class MemoryBench {

  public static void main(String[] args) throws Exception {
    String launcher = "./mycel";
    int connections = 1000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--launcher" -> launcher = args[++i];
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path home = Files.createTempDirectory("mycel-membench");
    // The launcher execs the JVM, so the process measured is the daemon exactly as users run it.
    ProcessBuilder pb = new ProcessBuilder(launcher, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0",
        "--gateway", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0");
    pb.environment().put("MYCEL_HOME", home.toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process daemon = pb.start();
    Map<String, Object> result = new LinkedHashMap<>();
    EventLoopGroup group = NettyHost.newEventLoopGroup();
    List<NettyHost> clients = new ArrayList<>();
    try {
      Multiaddr target = readAddress(daemon);
      settle();
      result.put("idleRssMiB", rssMiB(daemon.pid()));
      List<CompletableFuture<Connection>> dials = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        NettyHost client = new NettyHost(Ed25519.generate(),
            HostConfig.defaults(List.of(), "mycel-bench/0"), group).start();
        clients.add(client);
        dials.add(client.dial(target));
        if (dials.size() % 50 == 0) {
          CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
      }
      CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long open = dials.stream().filter(d -> d.join().isOpen()).count();
      settle();
      result.put("connections", open);
      result.put("rssWithConnectionsMiB", rssMiB(daemon.pid()));
      result.put("kibPerConnection",
          ((double) result.get("rssWithConnectionsMiB") - (double) result.get("idleRssMiB")) * 1024 / open);
    } finally {
      clients.forEach(NettyHost::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      daemon.destroy();
      daemon.waitFor(10, TimeUnit.SECONDS);
    }
    System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(result));
    System.exit(0);
  }

  private static Multiaddr readAddress(Process daemon) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
    Multiaddr address = null;
    String line;
    while ((line = out.readLine()) != null) {
      if (line.trim().startsWith("/ip4/") && address == null) {
        address = Multiaddr.parse(line.trim());
      }
      if (line.contains("Daemon is ready")) {
        break;
      }
    }
    if (address == null) {
      throw new IOException("the daemon did not print its address");
    }
    Thread drain = new Thread(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (IOException ignored) {
        // the daemon went away
      }
    });
    drain.setDaemon(true);
    drain.start();
    return address;
  }

  /** Lets the daemon finish start-up work and the collector run before reading its memory. */
  private static void settle() {
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
  }

  static double rssMiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IOException("no VmRSS for process " + pid);
  }
}
