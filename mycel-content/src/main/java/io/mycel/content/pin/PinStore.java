package io.mycel.content.pin;

import io.mycel.core.cid.Cid;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pins of a node: recursive and direct, each with an optional name, kept in a text file that
 * is rewritten whole on every change (written to a temporary file, forced to disk, renamed over
 * the old one, folder forced), so after a crash it holds either the old or the new set.
 *
 * <p>A CIDv0 and the CIDv1 of the same dag-pb block name the same pin. Pinning recursively what is
 * pinned directly makes the pin recursive; pinning directly what is pinned recursively is
 * refused, as in Kubo. Thread-safe.
 *
 * <p>The file has a first line {@value #HEADER}, then one pin per line: the type
 * ({@code recursive} or {@code direct}), a space, the CID, and optionally a space and the name
 * URL-encoded.
 */
public final class PinStore {
  private static final Logger LOG = LoggerFactory.getLogger(PinStore.class);
  static final String HEADER = "# mycel pins v1";

  private final Path file;
  private final Map<Cid, Pin> pins = new LinkedHashMap<>();

  private PinStore(Path file) {
    this.file = file;
  }

  /**
   * Opens the pins kept in {@code file} (none if it does not exist yet), removing temporary files
   * an interrupted rewrite left beside it.
   *
   * @throws IOException if the file cannot be read or is malformed (the error names the line)
   */
  public static PinStore open(Path file) throws IOException {
    Path absolute = file.toAbsolutePath().normalize();
    PinStore store = new PinStore(absolute);
    Files.createDirectories(absolute.getParent());
    store.removeTemporaryFiles();
    if (Files.exists(absolute)) {
      store.load();
    }
    return store;
  }

  /** Pins kept only in memory, for tests and nodes that keep nothing. */
  public static PinStore inMemory() {
    return new PinStore(null);
  }

  /** The file the pins are kept in; empty for an in-memory store. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Pins {@code cid} and everything it links to. */
  public Pin pinRecursive(Cid cid) throws IOException {
    return pin(cid, PinType.RECURSIVE, Optional.empty());
  }

  /** Pins {@code cid} and everything it links to, under a name ({@code null} for none). */
  public Pin pinRecursive(Cid cid, String name) throws IOException {
    return pin(cid, PinType.RECURSIVE, Optional.ofNullable(name));
  }

  /**
   * Pins the block {@code cid} alone.
   *
   * @throws IllegalStateException if it is already pinned recursively
   */
  public Pin pinDirect(Cid cid) throws IOException {
    return pin(cid, PinType.DIRECT, Optional.empty());
  }

  /** Pins the block {@code cid} alone, under a name ({@code null} for none). */
  public Pin pinDirect(Cid cid, String name) throws IOException {
    return pin(cid, PinType.DIRECT, Optional.ofNullable(name));
  }

  /**
   * Adds or updates a pin: an existing pin of the same type keeps its type and takes the new name
   * when one is given; a direct pin becomes recursive.
   *
   * @throws IllegalStateException when pinning directly what is pinned recursively
   */
  public synchronized Pin pin(Cid cid, PinType type, Optional<String> name) throws IOException {
    Cid key = keyOf(cid);
    Pin existing = pins.get(key);
    if (existing != null && existing.type() == PinType.RECURSIVE && type == PinType.DIRECT) {
      throw new IllegalStateException(cid + " is already pinned recursively");
    }
    Optional<String> newName = name.isPresent() || existing == null ? name : existing.name();
    Pin pin = new Pin(existing == null ? cid : existing.cid(), type, newName);
    if (pin.equals(existing)) {
      return pin;
    }
    pins.put(key, pin);
    try {
      save();
    } catch (IOException | RuntimeException e) {
      if (existing == null) {
        pins.remove(key);
      } else {
        pins.put(key, existing);
      }
      throw e;
    }
    return pin;
  }

  /** Removes the pin on {@code cid}, whatever its type; returns whether there was one. */
  public synchronized boolean unpin(Cid cid) throws IOException {
    Cid key = keyOf(cid);
    Pin removed = pins.remove(key);
    if (removed == null) {
      return false;
    }
    try {
      save();
    } catch (IOException | RuntimeException e) {
      pins.put(key, removed);
      throw e;
    }
    return true;
  }

  /** The pin on {@code cid}, if it is pinned directly or recursively. */
  public synchronized Optional<Pin> get(Cid cid) {
    return Optional.ofNullable(pins.get(keyOf(cid)));
  }

  /**
   * Whether {@code cid} itself is pinned (directly or recursively); blocks kept only because a
   * recursive pin reaches them are not counted here.
   */
  public synchronized boolean isPinned(Cid cid) {
    return pins.containsKey(keyOf(cid));
  }

  /** Every pin, in the order they were first pinned. */
  public synchronized List<Pin> list() {
    return List.copyOf(pins.values());
  }

  /** Every pin of one type, in the order they were first pinned. */
  public synchronized List<Pin> list(PinType type) {
    return pins.values().stream().filter(p -> p.type() == type).toList();
  }

  public synchronized int size() {
    return pins.size();
  }

  @Override
  public String toString() {
    return "PinStore[" + (file == null ? "memory" : file) + "]";
  }

  private static Cid keyOf(Cid cid) {
    return cid.toV1();
  }

  private void load() throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
      throw new IOException(file + ": not a pin file (first line must be '" + HEADER + "')");
    }
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      Pin pin;
      try {
        pin = parse(line);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
      pins.put(keyOf(pin.cid()), pin);
    }
    LOG.debug("Loaded {} pins from {}", pins.size(), file);
  }

  private static Pin parse(String line) {
    String[] fields = line.split(" ", -1);
    if (fields.length < 2 || fields.length > 3) {
      throw new IllegalArgumentException("expected '<type> <cid> [name]', got '" + line + "'");
    }
    PinType type = PinType.fromWireName(fields[0]);
    Cid cid = Cid.parse(fields[1]);
    Optional<String> name = fields.length == 3
        ? Optional.of(URLDecoder.decode(fields[2], StandardCharsets.UTF_8))
        : Optional.empty();
    return new Pin(cid, type, name);
  }

  private static String format(Pin pin) {
    String line = pin.type().wireName() + " " + pin.cid();
    return pin.name().map(n -> line + " " + URLEncoder.encode(n, StandardCharsets.UTF_8))
        .orElse(line);
  }

  private void save() throws IOException {
    if (file == null) {
      return;
    }
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (Pin pin : pins.values()) {
      text.append(format(pin)).append('\n');
    }
    Path dir = file.getParent();
    Path temp = dir.resolve(temporaryPrefix()
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    try {
      try (FileChannel channel = FileChannel.open(temp,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    syncDirectory(dir);
  }

  private String temporaryPrefix() {
    return "." + file.getFileName() + ".tmp-";
  }

  private void removeTemporaryFiles() throws IOException {
    List<Path> leftovers = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(file.getParent(),
        p -> p.getFileName().toString().startsWith(temporaryPrefix()))) {
      entries.forEach(leftovers::add);
    }
    for (Path leftover : leftovers) {
      Files.deleteIfExists(leftover);
      LOG.info("Removed {}, left by an interrupted rewrite of {}", leftover, file);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (AccessDeniedException e) {
      // Some platforms (Windows) cannot open a folder; their renames are durable without it.
      LOG.debug("Cannot force folder {}: {}", dir, e.getMessage());
    }
  }
}
