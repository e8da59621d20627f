package io.mycel.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import io.mycel.routing.ipns.InvalidIpnsRecordException;
import io.mycel.routing.ipns.IpnsValidator;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes and resolves IPNS names over the DHT of a {@link Node}.
 *
 * <p>The last record published for each name is kept in the home's {@value #STATE_FILE}
 * (rewritten atomically), so that the next publish takes a higher sequence and a resolve from
 * the same home works without the network. Before publishing, the DHT's current record is read
 * too, so that a republish from another home with the same key still increases the sequence.
 *
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/">IPNS record</a>
 */
public final class Names {
  private static final Logger LOG = LoggerFactory.getLogger(Names.class);

  /** The file, in the node home, holding the last record published for each name. */
  public static final String STATE_FILE = "names.json";
  /** How long a published record stays valid unless told otherwise. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(48);
  /** How long resolvers may cache a record unless told otherwise. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  /** How long one DHT lookup or store may take. */
  public static final Duration DEFAULT_DHT_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * A published record.
   *
   * @param name the name it was published under
   * @param record the signed record
   * @param peers how many DHT peers accepted it
   */
  public record Publication(IpnsName name, IpnsRecord record, int peers) {
    public Publication {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(record, "record");
    }
  }

  private final Path stateFile;
  private final Clock clock;
  private final Duration dhtTimeout;
  private final IpnsValidator validator;

  public Names(NodeHome home) {
    this(home.dir().resolve(STATE_FILE), Clock.systemUTC(), DEFAULT_DHT_TIMEOUT);
  }

  public Names(Path stateFile, Clock clock, Duration dhtTimeout) {
    this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.dhtTimeout = Objects.requireNonNull(dhtTimeout, "dhtTimeout");
    this.validator = new IpnsValidator(clock);
  }

  public Path stateFile() {
    return stateFile;
  }

  /**
   * Signs a record pointing {@code key}'s name at {@code path} with a sequence one above the
   * highest known (kept here or found in the DHT), keeps it in {@value #STATE_FILE} and stores it
   * on the DHT peers closest to the name.
   *
   * @param path {@code /ipfs/<cid>[/...]} or {@code /ipns/<name>[/...]}
   * @param lifetime how long the record stays valid
   * @param ttl how long resolvers may cache it
   * @throws IllegalArgumentException if the path or a duration is invalid
   */
  public synchronized Publication publish(
      Node node, PrivateKey key, String path, Duration lifetime, Duration ttl) throws IOException {
    checkPath(path);
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
    }
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    IpnsName name = Keystore.ipnsName(key);
    Optional<Long> last = kept(name).map(IpnsRecord::sequence);
    Optional<byte[]> current = await(node.dht().getValue(name.routingKey()), "looking up " + name);
    if (current.isPresent()) {
      try {
        long seen = validator.validate(name, current.get()).sequence();
        if (last.isEmpty() || Long.compareUnsigned(seen, last.get()) > 0) {
          last = Optional.of(seen);
        }
      } catch (InvalidIpnsRecordException e) {
        LOG.debug("ignoring the DHT's record for {}: {}", name, e.getMessage());
      }
    }
    if (last.isPresent() && last.get() == -1L) {
      throw new IOException("the sequence of " + name + " is exhausted");
    }
    long sequence = last.map(n -> n + 1).orElse(0L);
    IpnsRecord record = IpnsRecord.create(key, path, sequence, clock.instant().plus(lifetime), ttl);
    keep(name, record);
    int peers = await(node.dht().putValue(name.routingKey(), record.marshal()), "publishing " + name);
    LOG.info("published {} -> {} (sequence {}) to {} peers", name, path, sequence, peers);
    return new Publication(name, record, peers);
  }

  /**
   * The path {@code name} points at: the best valid record of those kept here and found in the
   * DHT.
   *
   * @param name {@code /ipns/<id>} or a bare id ({@code k51...}, {@code 12D3Koo...})
   * @throws IllegalArgumentException if {@code name} is not an IPNS name
   * @throws InvalidIpnsRecordException if every record found fails validation
   * @throws IOException if no record is found
   */
  public String resolve(Node node, String name) throws IOException {
    return resolveRecord(node, IpnsName.parse(name.trim())).path();
  }

  /** The best valid record of {@code name}, as {@link #resolve} picks it. */
  public IpnsRecord resolveRecord(Node node, IpnsName name) throws IOException {
    List<byte[]> candidates = new ArrayList<>();
    keptBytes(name).ifPresent(candidates::add);
    try {
      await(node.dht().getValue(name.routingKey()), "resolving " + name).ifPresent(candidates::add);
    } catch (IOException e) {
      if (candidates.isEmpty()) {
        throw e;
      }
      LOG.warn("{}; using the record this home published", e.getMessage());
    }
    if (candidates.isEmpty()) {
      throw new NameNotFoundException(name);
    }
    int best = validator.select(name, candidates);
    return validator.validate(name, candidates.get(best));
  }

  /** The last record this home published for {@code name}. */
  public synchronized Optional<IpnsRecord> lastPublished(IpnsName name) throws IOException {
    return kept(name);
  }

  /** The sequence of the last record this home published for {@code name}. */
  public synchronized Optional<Long> lastSequence(IpnsName name) throws IOException {
    return kept(name).map(IpnsRecord::sequence);
  }

  /**
   * Checks a content path.
   *
   * @throws IllegalArgumentException naming the bad path
   */
  public static String checkPath(String path) {
    if (path == null) {
      throw new IllegalArgumentException("no path given");
    }
    String rest;
    boolean ipfs = path.startsWith("/ipfs/");
    if (ipfs) {
      rest = path.substring("/ipfs/".length());
    } else if (path.startsWith(IpnsName.PREFIX)) {
      rest = path.substring(IpnsName.PREFIX.length());
    } else {
      throw new IllegalArgumentException("not a path: '" + path
          + "' (expected /ipfs/<cid> or /ipns/<name>)");
    }
    int slash = rest.indexOf('/');
    String root = slash < 0 ? rest : rest.substring(0, slash);
    try {
      if (ipfs) {
        Cid.parse(root);
      } else {
        IpnsName.parse(root);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a path: '" + path + "' (" + e.getMessage() + ")");
    }
    return path;
  }

  private <T> T await(CompletableFuture<T> future, String what)
      throws IOException {
    try {
      return future.get(dhtTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IOException(what + " timed out after " + dhtTimeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + " was interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException(what + " failed: " + cause.getMessage(), cause);
    }
  }

  private Optional<IpnsRecord> kept(IpnsName name) throws IOException {
    Optional<byte[]> bytes = keptBytes(name);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(IpnsRecord.unmarshal(bytes.get()));
    } catch (InvalidIpnsRecordException e) {
      throw new IOException(stateFile + ": the record of " + name + " is unreadable: "
          + e.getMessage(), e);
    }
  }

  private Optional<byte[]> keptBytes(IpnsName name) throws IOException {
    JsonNode entry = readState().get(name.toBase36());
    if (entry == null || !entry.hasNonNull("record")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(entry.get("record").asText()));
    } catch (IllegalArgumentException e) {
      throw new IOException(stateFile + ": the record of " + name + " is not base64", e);
    }
  }

  private ObjectNode readState() throws IOException {
    if (!Files.exists(stateFile)) {
      return JSON.createObjectNode();
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(stateFile.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(stateFile + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || tree.isMissingNode()) {
      return JSON.createObjectNode();
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new IOException(stateFile + ": expected an object of names");
    }
    return object;
  }

  private void keep(IpnsName name, IpnsRecord record) throws IOException {
    ObjectNode state = readState();
    ObjectNode entry = JSON.createObjectNode();
    entry.put("sequence", Long.toUnsignedString(record.sequence()));
    entry.put("path", record.path());
    entry.put("validity", record.validity().toString());
    entry.put("record", Base64.getEncoder().encodeToString(record.marshal()));
    state.set(name.toBase36(), entry);
    Path dir = stateFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + stateFile.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, JSON.writeValueAsString(state) + "\n");
      try {
        Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** No record of a name was found, in the home or in the DHT. */
  public static final class NameNotFoundException extends IOException {
    public NameNotFoundException(Object name) {
      super("no record found for " + name);
    }
  }
}
