package io.mycel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycel.content.bitswap.Bitswap;
import io.mycel.content.bitswap.DagFetchResult;
import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.net.host.NettyHost;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Content figures, each against a floor or a peer measured in the same run (the Helia figures
 * come from {@code interop/bench-content.mjs}, joined by {@link ContentReport}):
 *
 * <ul>
 *   <li>add of one large file: into the on-disk store (blocks fsynced, root pinned) and with
 *       only-hash (nothing stored), against {@code openssl dgst -sha256} of the same file (the
 *       hashing floor) and {@code dd bs=1M conv=fsync} of the same file (the disk-write floor: an
 *       add that stores every block durably cannot beat it);
 *   <li>a Bitswap fetch of a whole UnixFS file between two hosts on loopback, both in this JVM;
 *   <li>the same fetch from one provider and from several, each provider's block reads held to
 *       a fixed rate, to show how a session spreads its wants.
 * </ul>
 *
 * <p>Every figure is the median of three runs. Add figures are in MB/s (10^6 bytes), as openssl
 * and dd count; fetch figures in MiB/s of file content. Beside each figure goes the median CPU
 * time of its runs (under {@code cpuSeconds}, all threads, every core): of this process for
 * Mycel's work, of the child process for openssl and dd.
 *
 * <p>Usage: {@code ContentBench [--add-mib N] [--fetch-mib M] [--file PATH]
 * [--provider-mibps R] [--providers K]}; prints one JSON object. With {@code --file} the add
 * input is reused (and kept), else a seeded random file is written to a temporary folder.
 */
public final class ContentBench {
  private static final int MIB = 1 << 20;
  private static final long SEED = 42;

  public static void main(String[] args) throws Exception {
    int addMib = 1024;
    int fetchMib = 256;
    double providerMibps = 20;
    int providers = 4;
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--add-mib" -> addMib = Integer.parseInt(args[++i]);
        case "--fetch-mib" -> fetchMib = Integer.parseInt(args[++i]);
        case "--file" -> file = Path.of(args[++i]);
        case "--provider-mibps" -> providerMibps = Double.parseDouble(args[++i]);
        case "--providers" -> providers = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Figures figures = new Figures();
    figures.result.put("javaVersion", Runtime.version().toString());
    figures.result.put("cores", Runtime.getRuntime().availableProcessors());
    add(file, addMib, figures);
    fetch(fetchMib, figures);
    limited(fetchMib, providerMibps, providers, figures);
    Map<String, Object> result = figures.result;
    result.put("cpuSeconds", figures.cpu);
    result.put("runs", figures.runs);
    System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(result));
    System.exit(0);
  }

  /** One run: its figure and the CPU seconds it took. */
  record Sample(double value, double cpuSeconds) {}

  /** One run that may fail. */
  interface Run {
    Sample run() throws Exception;
  }

  /** The figures so far: medians, CPU seconds (medians) and every run. */
  private static final class Figures {
    final Map<String, Object> result = new LinkedHashMap<>();
    final Map<String, Double> cpu = new LinkedHashMap<>();
    final Map<String, double[]> runs = new LinkedHashMap<>();

    /** Three runs: the median figure goes under {@code key}, the median CPU time beside it. */
    double measure(String key, Run run) throws Exception {
      Sample[] samples = {run.run(), run.run(), run.run()};
      double[] values = Arrays.stream(samples).mapToDouble(Sample::value).toArray();
      double[] cpuSeconds = Arrays.stream(samples).mapToDouble(Sample::cpuSeconds).toArray();
      runs.put(key, values);
      runs.put(key + "CpuSeconds", cpuSeconds);
      double median = median(values);
      result.put(key, median);
      cpu.put(key, median(cpuSeconds));
      return median;
    }

    private static double median(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }
  }

  /** CPU seconds used by this process so far, all threads. */
  static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /**
   * CPU seconds used so far by this process's finished children (user and system time, from
   * {@code /proc/self/stat}, in clock ticks of 1/100 s); NaN where that file is missing.
   */
  static double childCpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17
      return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Runs {@code seconds} in this process; the figure is {@code bytes} MB per second. */
  private static Sample inProcess(long bytes, NetBench.Measurement seconds) throws Exception {
    double cpu = processCpuSeconds();
    double s = seconds.run();
    return new Sample(bytes / 1e6 / s, processCpuSeconds() - cpu);
  }

  /** Runs {@code seconds}, which waits for a child process; the figure is MB per second. */
  private static Sample child(long bytes, NetBench.Measurement seconds) throws Exception {
    double cpu = childCpuSeconds();
    double s = seconds.run();
    return new Sample(bytes / 1e6 / s, childCpuSeconds() - cpu);
  }

  // ---- add ----

  private static void add(Path file, int mib, Figures figures) throws Exception {
    Path work = Files.createTempDirectory("mycel-contentbench");
    boolean keep = file != null;
    if (file == null) {
      file = work.resolve("input.bin");
    }
    if (!Files.exists(file)) {
      AddBench.writeRandom(file, (long) mib * MIB);
      // on disk before the clocks start, so no run competes with writing back the input
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    }
    final Path input = file;
    long size = Files.size(input);
    Map<String, Object> result = figures.result;
    result.put("addBytes", size);
    try {
      System.err.println("content: add, " + size + " bytes");
      result.put("addCid", UnixfsImporter.onlyHash(ImportOptions.defaults()).importPath(input)
          .cid().toString());
      figures.measure("opensslSha256MBps", () -> child(size, () -> AddBench.openssl(input)));
      figures.measure("ddFsyncMBps", () -> child(size, () -> ddFsync(input, work)));
      figures.measure("mycelAddMBps",
          () -> inProcess(size, () -> AddBench.mycelAdd(input, work)));
      figures.measure("mycelOnlyHashMBps",
          () -> inProcess(size, () -> AddBench.mycelOnlyHash(input)));
    } finally {
      if (!keep) {
        Files.deleteIfExists(file);
      }
      AddBench.deleteTree(work);
    }
  }

  /**
   * Seconds for {@code dd if=FILE of=OUT bs=1M conv=fsync}: the same bytes written once to a new
   * file on the same disk as the store and flushed, the least a durable add has to do.
   */
  static double ddFsync(Path file, Path work) throws Exception {
    Path out = work.resolve("dd.out");
    try {
      long start = System.nanoTime();
      Process p = new ProcessBuilder("dd", "if=" + file, "of=" + out, "bs=1M", "conv=fsync",
          "status=none").redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("dd failed");
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  // ---- Bitswap ----

  /** A provider: a host serving a block store over Bitswap. */
  private record Provider(NettyHost host, Bitswap bitswap) implements AutoCloseable {
    static Provider start(Blockstore store) {
      NettyHost host = NetBench.host();
      return new Provider(host, new Bitswap(host, store).start());
    }

    PeerId id() {
      return host.peerId();
    }

    @Override
    public void close() {
      bitswap.close();
      host.close();
    }
  }

  /** {@code mib} MiB of seeded random bytes, the same on every call. */
  static byte[] randomBytes(int mib) {
    byte[] data = new byte[mib * MIB];
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < data.length; i += 8) {
      long v = random.nextLong();
      for (int b = 0; b < 8; b++) {
        data[i + b] = (byte) (v >>> (8 * b));
      }
    }
    return data;
  }

  private static void fetch(int mib, Figures figures) throws Exception {
    System.err.println("content: Bitswap fetch, " + mib + " MiB, Mycel to Mycel");
    byte[] data = randomBytes(mib);
    MemoryBlockstore store = new MemoryBlockstore();
    Cid root = new UnixfsImporter(store, ImportOptions.defaults()).importBytes(data).cid();
    figures.result.put("fetchMiB", mib);
    figures.result.put("fetchCid", root.toString());
    try (Provider provider = Provider.start(store)) {
      List<Provider> from = List.of(provider);
      fetchOnce(root, from, data); // warm-up, so the JIT has compiled the path
      figures.measure("mycelFetchMiBps", () -> fetchOnce(mib, root, from, data));
    }
  }

  private static void limited(int mib, double mibps, int count, Figures figures)
      throws Exception {
    System.err.println("content: Bitswap fetch, " + mib + " MiB, from 1 and from " + count
        + " providers held to " + mibps + " MiB/s each");
    byte[] data = randomBytes(mib);
    MemoryBlockstore store = new MemoryBlockstore();
    Cid root = new UnixfsImporter(store, ImportOptions.defaults()).importBytes(data).cid();
    Map<String, Object> result = figures.result;
    result.put("providerLimitMiBps", mibps);
    result.put("limitedProviders", count);
    List<Provider> providers = new ArrayList<>();
    try {
      // every provider holds the whole DAG (one map shared in memory) behind a limit of its own
      for (int i = 0; i < count; i++) {
        providers.add(Provider.start(new RateLimitedBlockstore(store, mibps * MIB)));
      }
      List<Provider> one = providers.subList(0, 1);
      double single = figures.measure("oneLimitedProviderMiBps",
          () -> fetchOnce(mib, root, one, data));
      double many = figures.measure("manyLimitedProvidersMiBps",
          () -> fetchOnce(mib, root, providers, data));
      result.put("limitedSpeedUp", many / single);
    } finally {
      providers.forEach(Provider::close);
    }
  }

  /** One fetch of an {@code mib} MiB file as a sample: MiB/s and the CPU time of this process. */
  private static Sample fetchOnce(int mib, Cid root, List<Provider> providers, byte[] expected)
      throws Exception {
    double[] cpu = new double[1];
    double seconds = fetchOnce(root, providers, expected, cpu);
    return new Sample(mib / seconds, cpu[0]);
  }

  private static double fetchOnce(Cid root, List<Provider> providers, byte[] expected)
      throws Exception {
    return fetchOnce(root, providers, expected, new double[1]);
  }

  /**
   * Seconds for a fresh host with an empty in-memory store to fetch the DAG under {@code root}
   * from {@code providers} over Bitswap (connections are made before the clock starts), and in
   * {@code cpu[0]} the CPU seconds this process spent meanwhile, both ends together. The bytes
   * are then read back from the fetcher's store and compared with {@code expected}, not timed.
   */
  private static double fetchOnce(Cid root, List<Provider> providers, byte[] expected,
      double[] cpu) throws Exception {
    MemoryBlockstore fetched = new MemoryBlockstore();
    try (NettyHost host = NetBench.host(); Bitswap bitswap = new Bitswap(host, fetched).start()) {
      for (Provider p : providers) {
        host.dial(p.host().listenAddresses().get(0).withPeerId(p.id())).get(10, TimeUnit.SECONDS);
      }
      List<PeerId> peers = providers.stream().map(Provider::id).toList();
      double cpuStart = processCpuSeconds();
      long start = System.nanoTime();
      DagFetchResult result = bitswap.fetchDag(root, new DagPbLinkDecoder(), peers)
          .get(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      cpu[0] = processCpuSeconds() - cpuStart;
      if (result.fetched() != result.blocks()) {
        throw new IOException("only " + result.fetched() + " of " + result.blocks()
            + " blocks came over the network");
      }
      verify(fetched, root, expected);
      return seconds;
    }
  }

  private static void verify(Blockstore store, Cid root, byte[] expected) throws IOException {
    byte[] buf = new byte[MIB];
    long offset = 0;
    try (InputStream in = new UnixfsExporter(store).open(root)) {
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        if (offset + n > expected.length
            || !Arrays.equals(buf, 0, n, expected, (int) offset, (int) offset + n)) {
          throw new IOException("fetched bytes differ near offset " + offset);
        }
        offset += n;
      }
    }
    if (offset != expected.length) {
      throw new IOException("fetched " + offset + " of " + expected.length + " bytes");
    }
  }

  /**
   * A block store whose reads are held to a fixed rate (a token bucket of block bytes, with a
   * burst of one maximal block): a provider with a limited upload. A read that overdraws the
   * bucket waits until its bytes are paid for; reads queue behind each other, so the rate holds
   * whatever the number of readers. Everything else passes straight through.
   */
  static final class RateLimitedBlockstore implements Blockstore {
    private final Blockstore store;
    private final double bytesPerNano;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    RateLimitedBlockstore(Blockstore store, double bytesPerSecond) {
      this.store = store;
      this.bytesPerNano = bytesPerSecond / 1e9;
      this.burst = ImportOptions.MAX_CHUNK_SIZE;
      this.tokens = burst;
    }

    /** Takes {@code bytes} from the bucket; returns the nanoseconds until they are paid for. */
    private synchronized long reserve(int bytes) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) * bytesPerNano);
      last = now;
      tokens -= bytes;
      return tokens >= 0 ? 0 : (long) (-tokens / bytesPerNano);
    }

    @Override
    public Optional<byte[]> get(Cid cid) throws IOException {
      Optional<byte[]> data = store.get(cid);
      if (data.isPresent()) {
        long wait = reserve(data.get().length);
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rate limited", e);
          }
        }
      }
      return data;
    }

    @Override
    public void put(Block block) throws IOException {
      store.put(block);
    }

    @Override
    public boolean has(Cid cid) throws IOException {
      return store.has(cid);
    }

    @Override
    public Optional<Integer> size(Cid cid) throws IOException {
      return store.size(cid);
    }

    @Override
    public boolean delete(Multihash hash) throws IOException {
      return store.delete(hash);
    }

    @Override
    public Stream<Multihash> keys() throws IOException {
      return store.keys();
    }

    @Override
    public BlockstoreStats stats() throws IOException {
      return store.stats();
    }

    @Override
    public void close() {
      // the wrapped store is shared and closed by its owner
    }
  }
}
