package io.mycel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.host.HostConfig;
import io.mycel.net.host.NettyHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Java-to-Java libp2p figures on loopback, with the raw loopback TCP copy measured in the same
 * run as the floor: Noise handshakes per second (a full connection upgrade each), and the
 * throughput of one Yamux stream and of 16 parallel streams over one Noise connection.
 *
 * <p>Throughput figures and the floor are the median of three runs.
 *
 * <p>Usage: {@code NetBench [--seconds S] [--mib M]}; prints one JSON object.
 */
public final class NetBench {
  static final String SINK = "/mycel/test/sink/1.0.0";
  private static final int CHUNK = 64 * 1024;

  public static void main(String[] args) throws Exception {
    int seconds = 5;
    int mib = 1024;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--mib" -> mib = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    final int size = mib;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("javaVersion", Runtime.version().toString());
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("mib", mib);
    result.put("rawLoopbackMiBps", median(() -> rawLoopback(size)));

    NettyHost server = host();
    server.protocols().register(SINK, NetBench::sink);
    Multiaddr target = server.listenAddresses().get(0).withPeerId(server.peerId());
    try {
      result.put("handshakesPerSec", handshakes(target, seconds, 1));
      result.put("handshakesPerSecConcurrent4", handshakes(target, seconds, 4));
      try (NettyHost client = host()) {
        Connection c = client.dial(target).get(10, TimeUnit.SECONDS);
        throughput(c, Math.max(64, mib / 4), 1); // warm-up, so the JIT has compiled the path
        throughput(c, Math.max(64, mib / 4), 16);
        result.put("oneStreamMiBps", median(() -> throughput(c, size, 1)));
        result.put("sixteenStreamsMiBps", median(() -> throughput(c, size, 16)));
      }
    } finally {
      server.close();
    }
    System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(result));
    System.exit(0);
  }

  /** One measurement that may fail. */
  interface Measurement {
    double run() throws Exception;
  }

  /** The median of three runs: one slow or lucky run on a busy machine does not set the figure. */
  static double median(Measurement m) throws Exception {
    double[] runs = {m.run(), m.run(), m.run()};
    java.util.Arrays.sort(runs);
    return runs[1];
  }

  static NettyHost host() {
    return new NettyHost(Ed25519.generate(), HostConfig.loopback("mycel-bench/0")).start();
  }

  /** Reads and discards until EOF, then answers one byte so the sender can time the whole transfer. */
  static void sink(Stream stream) throws IOException {
    InputStream in = stream.input();
    byte[] buf = new byte[CHUNK];
    while (in.read(buf) >= 0) {
      // discard
    }
    stream.output().write(1);
    stream.output().flush();
    stream.closeWrite();
  }

  /** Full connection upgrades per second: TCP connect, Noise XX, Yamux, then close. */
  static double handshakes(Multiaddr target, int seconds, int parallel) throws Exception {
    List<NettyHost> clients = new ArrayList<>();
    for (int i = 0; i < parallel; i++) {
      clients.add(host());
    }
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      // warm-up
      for (int i = 0; i < 50; i++) {
        clients.get(0).dial(target).get(10, TimeUnit.SECONDS).close().get(10, TimeUnit.SECONDS);
      }
      AtomicLong count = new AtomicLong();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long start = System.nanoTime();
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (NettyHost client : clients) {
        loops.add(CompletableFuture.runAsync(() -> {
          while (System.nanoTime() < end) {
            try {
              Connection c = client.dial(target).get(10, TimeUnit.SECONDS);
              count.incrementAndGet();
              c.close().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          }
        }, executor));
      }
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get();
      return count.get() / ((System.nanoTime() - start) / 1e9);
    } finally {
      clients.forEach(NettyHost::close);
    }
  }

  /** MiB/s of {@code mib} MiB sent over {@code streams} parallel streams of one connection. */
  static double throughput(Connection connection, int mib, int streams) throws Exception {
    long perStream = (long) mib * 1024 * 1024 / streams;
    byte[] chunk = new byte[CHUNK];
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        sends.add(connection.openStream(SINK).thenAcceptAsync(stream -> {
          try {
            OutputStream out = stream.output();
            for (long sent = 0; sent < perStream; sent += CHUNK) {
              out.write(chunk, 0, (int) Math.min(CHUNK, perStream - sent));
            }
            out.flush();
            stream.closeWrite();
            if (stream.input().read() != 1) {
              throw new IOException("sink did not confirm");
            }
            stream.close();
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        }, executor));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      double secs = (System.nanoTime() - start) / 1e9;
      return perStream * streams / 1048576.0 / secs;
    }
  }

  /** The floor: the same bytes through a plain loopback TCP socket, no encryption, no muxer. */
  static double rawLoopback(int mib) throws Exception {
    long total = (long) mib * 1024 * 1024;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ExecutorService executor = Executors.newSingleThreadExecutor()) {
      var reader = executor.submit(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          byte[] buf = new byte[CHUNK];
          long got = 0;
          int n;
          while ((n = in.read(buf)) >= 0) {
            got += n;
          }
          return got;
        }
      });
      byte[] chunk = new byte[CHUNK];
      long start = System.nanoTime();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        for (long sent = 0; sent < total; sent += CHUNK) {
          out.write(chunk, 0, (int) Math.min(CHUNK, total - sent));
        }
      }
      long got = reader.get();
      double secs = (System.nanoTime() - start) / 1e9;
      if (got != total) {
        throw new IOException("raw copy lost bytes: " + got + " of " + total);
      }
      return total / 1048576.0 / secs;
    }
  }
}
