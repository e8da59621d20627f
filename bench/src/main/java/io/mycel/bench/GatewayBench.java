package io.mycel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.core.cid.Cid;
import io.mycel.node.Daemon;
import io.mycel.node.Devnet;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.routing.kad.ProviderStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway benchmarks, in one run on this machine:
 *
 * <ol>
 *   <li>requests per second of {@code wrk} against a {@code mycel daemon}'s gateway serving a
 *       cached 4 KiB and a 1 MiB file, and against nginx serving the same files from disk,
 *       alternating, several rounds (the median counts);
 *   <li>time to first byte and to full load of a 10 MiB, 200-file site opened through a gateway
 *       node that has none of it, fetched from one publisher, then from three caching nodes
 *       (nodes in this JVM, on loopback);
 *   <li>a {@code mycel daemon} process's time from start to ready, and its idle resident memory.
 * </ol>
 *
 * <p>Usage: {@code GatewayBench --launcher ./mycel --work DIR [--seconds S] [--rounds N]
 * [--connections C] [--threads T] [--site-mib M] [--site-files F] [--runs R]}; prints one JSON
 * object.
 */
public final class GatewayBench {
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TRANSFER = Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMG]?B)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors:(.*)");
  private static final int WARM_UP_SECONDS = 5;
  /** Requests a browser keeps in flight to one host over HTTP/1.1. */
  private static final int BROWSER_CONNECTIONS = 6;

  private final String launcher;
  private final Path work;
  private final int seconds;
  private final int rounds;
  private final int connections;
  private final int threads;
  private final int siteMib;
  private final int siteFiles;
  private final int runs;

  private GatewayBench(Map<String, String> options) {
    this.launcher = options.getOrDefault("launcher", "./mycel");
    this.work = Path.of(options.getOrDefault("work", "/tmp/mycel-gateway-bench"));
    this.seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    this.connections = Integer.parseInt(options.getOrDefault("connections", "64"));
    this.threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    this.siteMib = Integer.parseInt(options.getOrDefault("site-mib", "10"));
    this.siteFiles = Integer.parseInt(options.getOrDefault("site-files", "200"));
    this.runs = Integer.parseInt(options.getOrDefault("runs", "3"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    GatewayBench bench = new GatewayBench(options);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("http", bench.http());
    result.put("site", bench.site());
    result.put("daemon", bench.daemonStart());
    System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(result));
    System.exit(0);
  }

  // ---- 1. requests per second against nginx ----

  private Map<String, Object> http() throws Exception {
    Path dir = Files.createDirectories(work.resolve("http"));
    Path www = Files.createDirectories(dir.resolve("www"));
    for (Path p : List.of(work, dir, www)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Random random = new Random(1);
    Map<String, Integer> sizes = new LinkedHashMap<>();
    sizes.put("4KiB", 4096);
    sizes.put("1MiB", 1024 * 1024);
    Map<String, String> cids = new LinkedHashMap<>();
    Path home = dir.resolve("home");
    run(List.of(launcher, "init"), home);
    for (Map.Entry<String, Integer> size : sizes.entrySet()) {
      byte[] bytes = new byte[size.getValue()];
      random.nextBytes(bytes);
      Path file = www.resolve(size.getKey() + ".bin");
      Files.write(file, bytes);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      cids.put(size.getKey(), run(List.of(launcher, "add", "-q", file.toString()), home).strip());
    }
    int nginxPort = freePort();
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, String.join("\n",
        "worker_processes auto;",
        "daemon off;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("nginx-error.log") + ";",
        "events { worker_connections 4096; }",
        "http {",
        "  access_log off;",
        "  sendfile on;",
        "  tcp_nopush on;",
        "  keepalive_requests 1000000;",
        "  server { listen 127.0.0.1:" + nginxPort + "; root " + www + "; }",
        "}", ""));
    Process nginx = new ProcessBuilder("nginx", "-c", conf.toString(), "-p", dir + "/")
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    Process daemon = null;
    try {
      ProcessBuilder pb = new ProcessBuilder(launcher, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0",
          "--gateway", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0");
      pb.environment().put("MYCEL_HOME", home.toString());
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      daemon = pb.start();
      String gatewayBase = readReady(daemon).gateway();
      String nginxBase = "http://127.0.0.1:" + nginxPort;
      awaitHttp(nginxBase + "/4KiB.bin");
      Map<String, String[]> targets = new LinkedHashMap<>();
      for (String size : sizes.keySet()) {
        targets.put(size, new String[] {nginxBase + "/" + size + ".bin",
            gatewayBase + "/ipfs/" + cids.get(size)});
      }
      // Warm-up: the JIT compiles the gateway's path; nginx reads the files into the page cache.
      for (String[] urls : targets.values()) {
        wrk(urls[0], WARM_UP_SECONDS);
        wrk(urls[1], WARM_UP_SECONDS);
      }
      Map<String, List<Map<String, Object>>> samples = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, String[]> target : targets.entrySet()) {
          // alternate which server goes first, so neither always runs on a cooler machine
          int first = round % 2;
          for (int k = 0; k < 2; k++) {
            int which = (first + k) % 2;
            String key = (which == 0 ? "nginx" : "mycel") + "-" + target.getKey();
            samples.computeIfAbsent(key, x -> new ArrayList<>())
                .add(wrk(target.getValue()[which], seconds));
          }
        }
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("wrk", "wrk -t" + threads + " -c" + connections + " -d" + seconds + "s");
      result.put("rounds", rounds);
      result.put("cids", cids);
      result.put("nginx", firstLine(List.of("nginx", "-v")));
      for (Map.Entry<String, List<Map<String, Object>>> entry : samples.entrySet()) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("requestsPerSecond", median(entry.getValue(), "requestsPerSecond"));
        summary.put("bytesPerSecond", median(entry.getValue(), "bytesPerSecond"));
        summary.put("samples", entry.getValue());
        result.put(entry.getKey(), summary);
      }
      return result;
    } finally {
      if (daemon != null) {
        daemon.destroy();
        daemon.waitFor(10, TimeUnit.SECONDS);
      }
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Map<String, Object> wrk(String url, int duration) throws Exception {
    String out = run(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration + "s",
        url), null);
    Map<String, Object> sample = new LinkedHashMap<>();
    Matcher rps = RPS.matcher(out);
    Matcher transfer = TRANSFER.matcher(out);
    if (!rps.find() || !transfer.find()) {
      throw new IOException("wrk printed no rates for " + url + ":\n" + out);
    }
    sample.put("requestsPerSecond", Double.parseDouble(rps.group(1)));
    double factor = switch (transfer.group(2)) {
      case "KB" -> 1024.0;
      case "MB" -> 1024.0 * 1024;
      case "GB" -> 1024.0 * 1024 * 1024;
      default -> 1.0;
    };
    sample.put("bytesPerSecond", Double.parseDouble(transfer.group(1)) * factor);
    Matcher non2xx = NON_2XX.matcher(out);
    sample.put("non2xx", non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0L);
    Matcher errors = SOCKET_ERRORS.matcher(out);
    sample.put("socketErrors", errors.find() ? errors.group(1).strip() : "");
    return sample;
  }

  // ---- 2. a site through a gateway that has none of it ----

  private Map<String, Object> site() throws Exception {
    Path dir = Files.createDirectories(work.resolve("site"));
    Path site = Files.createDirectories(dir.resolve("www"));
    List<String> paths = writeSite(site);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("files", paths.size());
    long total = 0;
    for (String p : paths) {
      total += Files.size(site.resolve(p));
    }
    result.put("bytes", total);
    List<Daemon> started = new ArrayList<>();
    try {
      Daemon publisher = start(dir.resolve("publisher"), List.of());
      started.add(publisher);
      Cid root = publisher.repo().add(site, ImportOptions.defaults(), false, true,
          ImportProgress.NONE).cid();
      publisher.node().provide(List.of(root)).get(30, TimeUnit.SECONDS);
      result.put("root", root.toString());
      String via = publisher.node().dialableAddresses().getFirst().toString();

      List<Map<String, Object>> fromPublisher = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        Daemon gateway = start(dir.resolve("gateway-p-" + run), List.of(via));
        try {
          fromPublisher.add(load(gateway, root, paths));
        } finally {
          gateway.close();
        }
      }
      result.put("fromPublisher", summarize(fromPublisher));

      List<Daemon> caches = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Daemon cache = start(dir.resolve("cache-" + i), List.of(via));
        started.add(cache);
        caches.add(cache);
        load(cache, root, paths);
      }
      awaitProviders(caches.getLast(), root, caches);
      publisher.close();
      started.remove(publisher);
      String viaCache = caches.getFirst().node().dialableAddresses().getFirst().toString();
      List<Map<String, Object>> fromCaches = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        Daemon gateway = start(dir.resolve("gateway-c-" + run), List.of(viaCache));
        try {
          fromCaches.add(load(gateway, root, paths));
          Map<String, Long> blocksByPeer = new LinkedHashMap<>();
          gateway.readThrough().peerStats().forEach((peer, stats) -> {
            for (int i = 0; i < caches.size(); i++) {
              if (caches.get(i).node().peerId().equals(peer)) {
                blocksByPeer.put("cache-" + i, stats.blocks());
              }
            }
          });
          fromCaches.getLast().put("blocksByProvider", blocksByPeer);
        } finally {
          gateway.close();
        }
      }
      result.put("fromThreeCachingNodes", summarize(fromCaches));
      return result;
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
    }
  }

  /** {@code siteFiles} files of {@code siteMib} MiB in all: an index.html linking the others. */
  private List<String> writeSite(Path site) throws IOException {
    Random random = new Random(2);
    int others = siteFiles - 1;
    long budget = (long) siteMib * 1024 * 1024;
    String[] folders = {"css", "js", "img", "docs"};
    String[] extensions = {".css", ".js", ".png", ".html"};
    List<String> paths = new ArrayList<>();
    double[] weights = new double[others];
    double sum = 0;
    for (int i = 0; i < others; i++) {
      weights[i] = 0.25 + random.nextDouble() * 1.75;
      sum += weights[i];
    }
    StringBuilder index = new StringBuilder("<!DOCTYPE html><html><body><h1>bench site</h1>\n");
    for (int i = 0; i < others; i++) {
      int folder = i % folders.length;
      String path = folders[folder] + "/f" + i + extensions[folder];
      paths.add(path);
      index.append("<a href=\"").append(path).append("\">").append(path).append("</a>\n");
    }
    index.append("</body></html>\n");
    byte[] indexBytes = index.toString().getBytes(StandardCharsets.UTF_8);
    long remaining = budget - indexBytes.length;
    for (int i = 0; i < others; i++) {
      long size = i == others - 1 ? remaining
          : (long) (weights[i] / sum * (budget - indexBytes.length));
      remaining -= size;
      byte[] bytes = new byte[(int) size];
      random.nextBytes(bytes);
      Path file = site.resolve(paths.get(i));
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    }
    Files.write(site.resolve("index.html"), indexBytes);
    paths.addFirst("index.html");
    return paths;
  }

  private static Daemon start(Path homeDir, List<String> bootstrap) throws Exception {
    NodeHome home = new NodeHome(homeDir);
    if (!home.isInitialized()) {
      home.init(NodeConfig.defaults());
    }
    NodeConfig config = home.loadConfig().withListen(List.of(Devnet.LOOPBACK_ANY_PORT))
        .withGateway(Devnet.LOOPBACK_ANY_PORT).withBootstrap(bootstrap)
        .withApi(Devnet.LOOPBACK_ANY_PORT)
        .withDiscovery(new NodeConfig.Discovery(false,
            NodeConfig.Discovery.DEFAULT_MDNS_INTERVAL_MS));
    Daemon daemon = Daemon.start(home, config);
    daemon.node().joined().get(30, TimeUnit.SECONDS);
    return daemon;
  }

  /**
   * Opens the site as a browser does: the folder (its index.html), then every file it links,
   * {@link #BROWSER_CONNECTIONS} at a time. Time to first byte is to the first body byte of the
   * index; full load is to the last byte of the last file.
   */
  private static Map<String, Object> load(Daemon gateway, Cid root, List<String> paths)
      throws Exception {
    String base = "http://127.0.0.1:" + gateway.gatewayAddress().getPort() + "/ipfs/" + root + "/";
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      long started = System.nanoTime();
      HttpResponse<InputStream> index = client.send(request(base),
          HttpResponse.BodyHandlers.ofInputStream());
      long firstByte;
      long bytes;
      try (InputStream in = index.body()) {
        if (index.statusCode() != 200 || in.read() < 0) {
          throw new IOException("the site's folder answered " + index.statusCode());
        }
        firstByte = System.nanoTime();
        bytes = 1 + in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      Semaphore slots = new Semaphore(BROWSER_CONNECTIONS);
      List<Future<Long>> files = new ArrayList<>();
      for (String path : paths.subList(1, paths.size())) {
        files.add(pool.submit(() -> {
          slots.acquire();
          try {
            HttpResponse<byte[]> r = client.send(request(base + path),
                HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
              throw new IOException(path + " answered " + r.statusCode());
            }
            return (long) r.body().length;
          } finally {
            slots.release();
          }
        }));
      }
      for (Future<Long> file : files) {
        bytes += file.get(120, TimeUnit.SECONDS);
      }
      long done = System.nanoTime();
      Map<String, Object> sample = new LinkedHashMap<>();
      sample.put("firstByteMs", (firstByte - started) / 1e6);
      sample.put("fullLoadMs", (done - started) / 1e6);
      sample.put("bytes", bytes);
      return sample;
    }
  }

  private static HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build();
  }

  private static void awaitProviders(Daemon asking, Cid root, List<Daemon> providers)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      List<ProviderStore.Provider> found = asking.node().dht().findProviders(root)
          .get(30, TimeUnit.SECONDS);
      boolean all = providers.stream().allMatch(d -> found.stream()
          .anyMatch(p -> p.peer().equals(d.node().peerId())));
      if (all) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new IOException("the caching nodes were not all found as providers of " + root);
  }

  private static Map<String, Object> summarize(List<Map<String, Object>> samples) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("firstByteMs", median(samples, "firstByteMs"));
    summary.put("fullLoadMs", median(samples, "fullLoadMs"));
    summary.put("samples", samples);
    return summary;
  }

  // ---- 3. daemon start to ready, idle memory ----

  private Map<String, Object> daemonStart() throws Exception {
    List<Map<String, Object>> samples = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      Path home = work.resolve("start-" + run);
      run(List.of(launcher, "init"), home);
      ProcessBuilder pb = new ProcessBuilder(launcher, "daemon", "--listen",
          "/ip4/127.0.0.1/tcp/0", "--gateway", "/ip4/127.0.0.1/tcp/0",
          "--api", "/ip4/127.0.0.1/tcp/0");
      pb.environment().put("MYCEL_HOME", home.toString());
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      long started = System.nanoTime();
      Process daemon = pb.start();
      try {
        readReady(daemon);
        long ready = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("startToReadyMs", (ready - started) / 1e6);
        sample.put("idleRssMiB", MemoryBench.rssMiB(daemon.pid()));
        samples.add(sample);
      } finally {
        daemon.destroy();
        daemon.waitFor(10, TimeUnit.SECONDS);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("startToReadyMs", median(samples, "startToReadyMs"));
    result.put("idleRssMiB", median(samples, "idleRssMiB"));
    result.put("samples", samples);
    return result;
  }

  // ---- helpers ----

  private record Ready(String gateway) {}

  /** Reads the daemon's output up to "Daemon is ready"; the rest is drained in the background. */
  private static Ready readReady(Process daemon) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
        StandardCharsets.UTF_8));
    String gateway = null;
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("gateway: ")) {
        gateway = line.substring("gateway: ".length()).replace("/ipfs/<cid>", "");
      }
      if (line.contains("Daemon is ready")) {
        Thread drain = new Thread(() -> {
          try {
            out.transferTo(java.io.Writer.nullWriter());
          } catch (IOException ignored) {
            // the daemon went away
          }
        });
        drain.setDaemon(true);
        drain.start();
        return new Ready(gateway);
      }
    }
    throw new IOException("the daemon exited before it was ready");
  }

  /** Runs a command (with MYCEL_HOME set when {@code home} is given); returns its output. */
  private static String run(List<String> command, Path home) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (home != null) {
      pb.environment().put("MYCEL_HOME", home.toString());
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  private static String firstLine(List<String> command) {
    try {
      return run(command, null).strip().lines().findFirst().orElse("");
    } catch (Exception e) {
      return "";
    }
  }

  private static void awaitHttp(String url) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        try {
          if (client.send(request(url), HttpResponse.BodyHandlers.discarding()).statusCode()
              == 200) {
            return;
          }
        } catch (IOException notYet) {
          if (System.nanoTime() > deadline) {
            throw notYet;
          }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static double median(List<Map<String, Object>> samples, String key) {
    double[] values = samples.stream().mapToDouble(s -> ((Number) s.get(key)).doubleValue())
        .sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
