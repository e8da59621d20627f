package io.mycel.content.blockstore;

import io.mycel.core.cid.Cid;
import io.mycel.core.multibase.Multibase;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Blockstore} that keeps one file per block under a root folder, laid out like Kubo's
 * <a href="https://github.com/ipfs/go-ds-flatfs">flatfs</a> with the {@code next-to-last/2}
 * shard function: a block whose multihash is {@code K} in upper-case unpadded base32 lives in
 * {@code <root>/<the two characters before the last one of K>/K.data}.
 *
 * <p><b>Why plain files rather than an embedded key-value store.</b> Blocks are immutable,
 * content-addressed and mostly large (up to a few hundred KiB): there is nothing to update in
 * place, no range queries, and no need for transactions spanning several keys. A file per block
 * lets the kernel's page cache and the file system do the work, adds no native dependency, and
 * keeps the repository readable with ordinary tools (and close to what Kubo users know). An
 * embedded store (LevelDB, RocksDB, LMDB, H2 MVStore) would bring a write-ahead log and
 * compaction that buy nothing for write-once values, a native library or a large jar, and a
 * format that cannot be inspected or repaired by hand. The cost is a file-system entry per
 * block, which sharding keeps to a few thousand entries per folder.
 *
 * <p><b>Crash safety.</b> A put writes the bytes to a temporary file in the block's shard
 * folder, forces them to disk, renames the file atomically onto its final name and then forces
 * the folder, so after a crash a block file is either absent or complete. Temporary files a
 * crash left behind are removed at {@link #open}. The block and byte counts are recomputed at
 * open by scanning the folders and kept current afterwards. A delete is not forced to disk: one
 * that a crash undoes leaves a block that the next garbage collection removes again.
 *
 * <p><b>Limits.</b> A byte quota ({@link Options#quotaBytes}) refuses a put that would exceed
 * it with a {@link BlockstoreFullException} before anything is written; a full disk during a put
 * is reported the same way, with the temporary file removed. Reads verify the block's hash
 * unless {@link Options#verifyOnRead} is off; a corrupt block is logged, removed, counted in
 * {@link BlockstoreStats#corruptBlocksRemoved} and answered as absent.
 *
 * <p>Thread-safe: operations on the same block are serialised by a lock striped by key, so
 * concurrent puts of one block store it once. One process at a time may open a root; a lock
 * file enforces it.
 */
public final class FsBlockstore implements Blockstore {
  private static final Logger LOG = LoggerFactory.getLogger(FsBlockstore.class);

  /** The shard function, in the words Kubo writes to its {@code SHARDING} file. */
  public static final String SHARDING = "/repo/flatfs/shard/v1/next-to-last/2";
  static final String SHARDING_FILE = "SHARDING";
  static final String LOCK_FILE = "LOCK";
  static final String DATA_SUFFIX = ".data";
  static final String TEMP_PREFIX = ".tmp-";
  private static final int SHARD_LENGTH = 2;
  /** Longest file name most file systems accept. */
  static final int MAX_FILE_NAME_LENGTH = 255;
  private static final int LOCK_STRIPES = 64;
  private static final String DISK_FULL = "No space left on device";

  private final Path root;
  private final Options options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
  private final Object countLock = new Object();
  private long blocks;
  private long bytes;
  private long reservedBytes;
  private final AtomicLong corruptRemoved = new AtomicLong();
  private volatile boolean closed;

  /** What an {@link FsBlockstore} may hold and how it reads. */
  public record Options(long quotaBytes, boolean verifyOnRead) {
    /** No quota; reads verify hashes. */
    public static final Options DEFAULTS = new Options(0, true);

    public Options {
      if (quotaBytes < 0) {
        throw new IllegalArgumentException("quotaBytes must be >= 0 (0 = unlimited): " + quotaBytes);
      }
    }

    /** These options with a byte quota; 0 means unlimited. */
    public Options withQuotaBytes(long quota) {
      return new Options(quota, verifyOnRead);
    }

    public Options withVerifyOnRead(boolean verify) {
      return new Options(quotaBytes, verify);
    }
  }

  private FsBlockstore(Path root, Options options, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Opens (creating if needed) the store under {@code root} with default options. */
  public static FsBlockstore open(Path root) throws IOException {
    return open(root, Options.DEFAULTS);
  }

  /**
   * Opens (creating if needed) the store under {@code root}: takes the lock file, checks the
   * shard function, removes temporary files a crash left behind, and counts the blocks.
   *
   * @throws IOException if another process (or another store in this one) holds the root, or
   *     the root was written with another shard function
   */
  public static FsBlockstore open(Path root, Options options) throws IOException {
    Objects.requireNonNull(options, "options");
    Path dir = root.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock fileLock;
    try {
      fileLock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      fileLock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (fileLock == null) {
      channel.close();
      throw new IOException("blockstore " + dir + " is already open (" + LOCK_FILE + " is held)");
    }
    FsBlockstore store = new FsBlockstore(dir, options, channel, fileLock);
    try {
      store.checkSharding();
      store.scan();
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** The root folder. */
  public Path root() {
    return root;
  }

  public Options options() {
    return options;
  }

  /** Where the block with this multihash is (or would be) stored. */
  public Path pathOf(Multihash hash) {
    String key = keyOf(hash);
    return root.resolve(shardOf(key)).resolve(key + DATA_SUFFIX);
  }

  @Override
  public void put(Block block) throws IOException {
    ensureOpen();
    Multihash hash = block.cid().multihash();
    String key = keyOf(hash);
    Path dir = root.resolve(shardOf(key));
    Path file = dir.resolve(key + DATA_SUFFIX);
    ReentrantLock stripe = stripeOf(key);
    stripe.lock();
    try {
      if (Files.isRegularFile(file)) {
        return;
      }
      long size = block.size();
      reserve(size, block.cid());
      boolean stored = false;
      try {
        write(dir, file, block);
        stored = true;
      } finally {
        synchronized (countLock) {
          reservedBytes -= size;
          if (stored) {
            blocks++;
            bytes += size;
          }
        }
      }
    } finally {
      stripe.unlock();
    }
  }

  @Override
  public Optional<byte[]> get(Cid cid) throws IOException {
    ensureOpen();
    Multihash hash = cid.multihash();
    Path file = pathOf(hash);
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (options.verifyOnRead() && !verifies(hash, data)) {
      removeCorrupt(cid, file);
      return Optional.empty();
    }
    return Optional.of(data);
  }

  @Override
  public boolean has(Cid cid) throws IOException {
    ensureOpen();
    return Files.isRegularFile(pathOf(cid.multihash()));
  }

  @Override
  public Optional<Integer> size(Cid cid) throws IOException {
    ensureOpen();
    try {
      return Optional.of(Math.toIntExact(Files.size(pathOf(cid.multihash()))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean delete(Multihash hash) throws IOException {
    ensureOpen();
    String key = keyOf(hash);
    Path file = root.resolve(shardOf(key)).resolve(key + DATA_SUFFIX);
    ReentrantLock stripe = stripeOf(key);
    stripe.lock();
    try {
      return deleteCounted(file);
    } finally {
      stripe.unlock();
    }
  }

  /**
   * Every stored block's multihash, read from the folders as the stream is consumed (one shard
   * folder open at a time). Files that are not block files are skipped. Close the stream after
   * use.
   */
  @Override
  public Stream<Multihash> keys() throws IOException {
    ensureOpen();
    return Files.list(root)
        .filter(p -> isShardName(p.getFileName().toString()) && Files.isDirectory(p))
        .flatMap(FsBlockstore::listShard)
        .map(FsBlockstore::keyOfFile)
        .flatMap(Optional::stream);
  }

  private static Stream<Path> listShard(Path shard) {
    try {
      return Files.list(shard);
    } catch (NoSuchFileException e) {
      return Stream.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public BlockstoreStats stats() {
    synchronized (countLock) {
      return new BlockstoreStats(blocks, bytes, options.quotaBytes(), corruptRemoved.get());
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      lockChannel.close();
    }
  }

  @Override
  public String toString() {
    return "FsBlockstore[" + root + "]";
  }

  /** The flatfs key of a multihash: its bytes in upper-case base32 without padding. */
  static String keyOf(Multihash hash) {
    String key = Multibase.BASE32_UPPER.encodeBare(hash.bytes());
    if (key.length() + DATA_SUFFIX.length() > MAX_FILE_NAME_LENGTH) {
      throw new IllegalArgumentException("multihash of " + hash.bytes().length
          + " bytes is too long to name a block file (" + hash + ")");
    }
    return key;
  }

  /** The {@code next-to-last/2} shard of a key; short keys are padded with '_' as flatfs does. */
  static String shardOf(String key) {
    String padded = key.length() < SHARD_LENGTH + 1 ? "_".repeat(SHARD_LENGTH + 1 - key.length())
        + key : key;
    int offset = padded.length() - SHARD_LENGTH - 1;
    return padded.substring(offset, offset + SHARD_LENGTH);
  }

  private static boolean isShardName(String name) {
    return name.length() == SHARD_LENGTH && !name.startsWith(".");
  }

  private static Optional<Multihash> keyOfFile(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(DATA_SUFFIX) || name.startsWith(".")) {
      return Optional.empty();
    }
    String key = name.substring(0, name.length() - DATA_SUFFIX.length());
    try {
      return Optional.of(Multihash.fromBytes(Multibase.BASE32_UPPER.decodeBare(key)));
    } catch (IllegalArgumentException e) {
      LOG.warn("Skipping {}: not a block file name ({})", file, e.getMessage());
      return Optional.empty();
    }
  }

  private void write(Path dir, Path file, Block block) throws IOException {
    Path temp = null;
    try {
      ensureDirectory(dir);
      temp = dir.resolve(TEMP_PREFIX + HexFormat.of().toHexDigits(
          ThreadLocalRandom.current().nextLong()));
      try (FileChannel channel = FileChannel.open(temp,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(block.data());
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (isDiskFull(e)) {
        throw new BlockstoreFullException(
            "disk full while storing " + block.cid() + " in " + root, e);
      }
      throw e;
    }
  }

  private void ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      syncDirectory(root);
    }
  }

  private void reserve(long size, Cid cid) throws BlockstoreFullException {
    long quota = options.quotaBytes();
    synchronized (countLock) {
      if (quota > 0 && bytes + reservedBytes + size > quota) {
        throw new BlockstoreFullException("storing " + cid + " (" + size + " bytes) would exceed"
            + " the quota of " + quota + " bytes of " + root + " (" + bytes + " used)");
      }
      reservedBytes += size;
    }
  }

  private boolean deleteCounted(Path file) throws IOException {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (!Files.deleteIfExists(file)) {
      return false;
    }
    synchronized (countLock) {
      blocks--;
      bytes -= size;
    }
    return true;
  }

  private void removeCorrupt(Cid cid, Path file) throws IOException {
    String key = file.getFileName().toString();
    ReentrantLock stripe = stripeOf(key.substring(0, key.length() - DATA_SUFFIX.length()));
    stripe.lock();
    try {
      // Check again under the lock: the file may have been replaced since it was read.
      byte[] again;
      try {
        again = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        return;
      }
      if (verifies(cid.multihash(), again)) {
        return;
      }
      LOG.warn("Block {} in {} does not match its hash; removing it", cid, file);
      if (deleteCounted(file)) {
        corruptRemoved.incrementAndGet();
      }
    } finally {
      stripe.unlock();
    }
  }

  private static boolean verifies(Multihash hash, byte[] data) {
    if (!Multihash.isSupported(hash.code())) {
      LOG.debug("Cannot verify block {}: unsupported hash function", hash);
      return true;
    }
    return hash.matches(data);
  }

  private ReentrantLock stripeOf(String key) {
    return stripes[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private void checkSharding() throws IOException {
    Path file = root.resolve(SHARDING_FILE);
    if (Files.exists(file)) {
      String found = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!found.equals(SHARDING)) {
        throw new IOException(root + " uses shard function " + found + ", not " + SHARDING);
      }
      return;
    }
    Path temp = root.resolve(TEMP_PREFIX + SHARDING_FILE);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap((SHARDING + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(root);
  }

  /** Removes leftover temporary files and counts the blocks. */
  private void scan() throws IOException {
    long count = 0;
    long total = 0;
    int removed = 0;
    List<Path> shards = new ArrayList<>();
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      for (Path entry : top) {
        String name = entry.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX)) {
          Files.deleteIfExists(entry);
          removed++;
        } else if (isShardName(name) && Files.isDirectory(entry)) {
          shards.add(entry);
        }
      }
    }
    for (Path shard : shards) {
      boolean shardChanged = false;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          if (name.startsWith(TEMP_PREFIX)) {
            Files.deleteIfExists(file);
            removed++;
            shardChanged = true;
          } else if (keyOfFile(file).isPresent() && Files.isRegularFile(file)) {
            count++;
            total += Files.size(file);
          }
        }
      }
      if (shardChanged) {
        syncDirectory(shard);
      }
    }
    if (removed > 0) {
      LOG.info("Removed {} temporary files left in {} by an interrupted write", removed, root);
    }
    synchronized (countLock) {
      blocks = count;
      bytes = total;
    }
    LOG.debug("Opened {}: {} blocks, {} bytes", root, count, total);
  }

  /** Forces a folder's entries (a rename, a new file) to disk. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (AccessDeniedException e) {
      // Some platforms (Windows) cannot open a folder; their renames are durable without it.
      LOG.debug("Cannot force folder {}: {}", dir, e.getMessage());
    }
  }

  static boolean isDiskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String reason = t instanceof FileSystemException fse ? fse.getReason() : null;
      if (t instanceof BlockstoreFullException
          || (t.getMessage() != null && t.getMessage().contains(DISK_FULL))
          || (reason != null && reason.contains(DISK_FULL))) {
        return true;
      }
    }
    return false;
  }
}
