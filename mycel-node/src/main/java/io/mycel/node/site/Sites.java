package io.mycel.node.site;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.content.pin.Pin;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.content.unixfs.ImportResult;
import io.mycel.content.unixfs.UnixfsProfile;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.node.Keystore;
import io.mycel.node.Names;
import io.mycel.node.Node;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.routing.ipns.IpnsName;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The websites a home publishes. Publishing a folder checks it ({@link SiteFolder}), adds and
 * pins it, and points the site's own IPNS name (key {@code site-<name>}, generated on first
 * publish) at it; publishing again under the same name moves the name to the new version and
 * unpins the old one. The sites are remembered in the home's {@value #FILE}, rewritten
 * atomically.
 *
 * <p>Nothing is half-published: a folder that fails the check stores nothing, and when the name
 * cannot be published the new pin is taken back and {@value #FILE} is left as it was.
 */
public final class Sites {
  private static final Logger LOG = LoggerFactory.getLogger(Sites.class);

  /** The file, in the node home, listing the published sites. */
  public static final String FILE = "sites.json";
  /** The prefix of the keys that sign sites' names. */
  public static final String KEY_PREFIX = "site-";
  /** The prefix of the names of the pins that keep sites. */
  public static final String PIN_PREFIX = "site:";
  /** Longest site name: the key name must still fit the keystore's limit. */
  public static final int MAX_NAME_LENGTH = Keystore.MAX_NAME_LENGTH - KEY_PREFIX.length();

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (MAX_NAME_LENGTH - 1) + "}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What {@value #FILE} holds. */
  record State(List<Site> sites) {
    State {
      sites = sites == null ? List.of() : List.copyOf(sites);
    }
  }

  /** The outcome of {@link #publish}: the site as now recorded and the previous version's CID. */
  public record Published(Site site, Optional<String> previousCid) {
    public Published {
      Objects.requireNonNull(site, "site");
      Objects.requireNonNull(previousCid, "previousCid");
    }
  }

  private final Path file;
  private final Repo repo;
  private final Keystore keys;
  private final Names names;
  private final Clock clock;

  public Sites(NodeHome home, Repo repo) {
    this(home.dir().resolve(FILE), repo, new Keystore(home), new Names(home), Clock.systemUTC());
  }

  public Sites(Path file, Repo repo, Keystore keys, Names names, Clock clock) {
    this.file = Objects.requireNonNull(file, "file");
    this.repo = Objects.requireNonNull(repo, "repo");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.names = Objects.requireNonNull(names, "names");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Path file() {
    return file;
  }

  /**
   * Checks a site name: 1 to {@value #MAX_NAME_LENGTH} of {@code a-z 0-9 . _ -}, starting with a
   * letter or digit.
   *
   * @throws IllegalArgumentException naming the bad name
   */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid site name '" + name + "': use 1 to "
          + MAX_NAME_LENGTH + " of the characters a-z 0-9 . _ -, starting with a letter or digit");
    }
    return name;
  }

  /** A site name made from a folder's name ({@code My Blog/} gives {@code my-blog}). */
  public static String defaultName(Path folder) {
    Path fileName = folder.toAbsolutePath().normalize().getFileName();
    String base = fileName == null ? "site" : fileName.toString().toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
    if (base.length() > MAX_NAME_LENGTH) {
      base = base.substring(0, MAX_NAME_LENGTH);
    }
    return base.isEmpty() ? "site" : base;
  }

  /**
   * Publishes {@code folder} as the site {@code name} through {@code node}'s DHT (a node that has
   * joined no network keeps the record in this home only: {@link Site#announced()} is false).
   *
   * @param source what to record as the site's source (the folder, or {@code upload})
   * @throws SiteFolderException naming the entry of {@code folder} that cannot be published
   * @throws IOException when the name cannot be published; nothing is left pinned or recorded
   */
  public synchronized Published publish(Node node, Path folder, String name, String source)
      throws IOException {
    checkName(name);
    Objects.requireNonNull(node, "node");
    SiteFolder.check(folder);
    refuseHome(folder);
    Optional<Site> previous = get(name);
    String keyName = previous.map(Site::key).orElse(KEY_PREFIX + name);
    boolean newKey = !keys.exists(keyName);
    if (newKey) {
      keys.gen(keyName);
    }
    PrivateKey key = keys.load(keyName);
    IpnsName ipns = Keystore.ipnsName(key);
    ImportOptions options = ImportOptions.builder(UnixfsProfile.UNIXFS_V1_2025).build();
    Cid cid;
    Optional<Pin> pinBefore;
    // One add session from the import to the pin, so a collection cannot take the new blocks.
    try (GarbageCollector.AddSession session = repo.gc().beginAdd()) {
      ImportResult added = repo.add(folder, options, false, false, ImportProgress.NONE);
      cid = added.cid();
      pinBefore = repo.pins().get(cid);
      if (pinBefore.isEmpty()) {
        repo.pins().pinRecursive(cid, PIN_PREFIX + name);
      } else {
        repo.pins().pinRecursive(cid); // a pin of the user's own keeps its name and outlives the site
      }
    } catch (IOException | RuntimeException e) {
      if (newKey) {
        removeKeyQuietly(keyName);
      }
      throw e;
    }
    boolean published = false;
    try {
      Names.Publication publication = names.publish(node, key, "/ipfs/" + cid,
          Names.DEFAULT_LIFETIME, Names.DEFAULT_TTL);
      Site site = new Site(name, keyName, ipns.toBase36(), cid.toString(), source,
          clock.instant().toString(), publication.record().sequence(), publication.peers());
      save(replace(load(), site));
      published = true;
      announceProvider(node, cid);
      Optional<String> previousCid = previous.map(Site::cid).filter(c -> !c.equals(site.cid()));
      previousCid.ifPresent(this::releaseQuietly);
      LOG.info("published site {} ({}) -> /ipfs/{} to {} peers", name, ipns, cid, publication.peers());
      return new Published(site, previousCid);
    } finally {
      if (!published) {
        rollBack(cid, pinBefore);
        if (newKey) {
          removeKeyQuietly(keyName);
        }
      }
    }
  }

  /**
   * Publishes the site's current version again (a fresh record with the next sequence), so that
   * the name stays resolvable and reaches the DHT once the node is online.
   */
  public synchronized Site republish(Node node, String name) throws IOException {
    Site site = get(name).orElseThrow(() -> noSuchSite(name));
    Names.Publication publication = names.publish(node, keys.load(site.key()), "/ipfs/" + site.cid(),
        Names.DEFAULT_LIFETIME, Names.DEFAULT_TTL);
    Site updated = site.withPeers(publication.peers(), publication.record().sequence(), site.publishedAt());
    save(replace(load(), updated));
    return updated;
  }

  /** Every site, by name. */
  public List<Site> list() throws IOException {
    return load();
  }

  /** The site {@code name}, if this home publishes it. */
  public Optional<Site> get(String name) throws IOException {
    return load().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * Forgets the site {@code name} and unpins its content (unless another site or a pin of the
   * user's own keeps it). The name cannot be withdrawn from the network: its last record stays
   * valid until it expires. The key is kept, so that publishing the same name again gives the
   * same address, unless {@code removeKey}.
   */
  public synchronized Site remove(String name, boolean removeKey) throws IOException {
    checkName(name);
    List<Site> sites = load();
    Site site = sites.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> noSuchSite(name));
    List<Site> rest = new ArrayList<>(sites);
    rest.remove(site);
    save(rest);
    release(site.cid(), name, rest);
    if (removeKey && keys.exists(site.key())) {
      keys.remove(site.key());
    }
    return site;
  }

  /**
   * A site must not publish the node home (its keys) nor a folder inside it, other than an
   * upload staged under {@value SiteUpload#STAGING_DIR}.
   */
  private void refuseHome(Path folder) throws IOException {
    Path home = file.toAbsolutePath().getParent().toRealPath();
    Path real = folder.toRealPath();
    Path staging = home.resolve(SiteUpload.STAGING_DIR);
    if (real.startsWith(staging) && !real.equals(staging)) {
      return;
    }
    if (real.startsWith(home) || home.startsWith(real)) {
      throw new SiteFolderException(folder, "refusing to publish " + folder + ": it "
          + (real.startsWith(home) ? "is inside" : "contains") + " the node home " + home
          + ", whose keys must stay private; publish a folder outside it");
    }
  }

  private static void announceProvider(Node node, Cid cid) {
    // The reprovider announces pins every 12 h; a new site is announced now, in the background.
    node.provide(List.of(cid)).whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.debug("announcing {} as provided failed: {}", cid, failure.getMessage());
      }
    });
  }

  private void removeKeyQuietly(String keyName) {
    try {
      keys.remove(keyName);
    } catch (IOException e) {
      LOG.warn("could not remove the key {} of the failed publish: {}", keyName, e.getMessage());
    }
  }

  private IOException noSuchSite(String name) {
    return new IOException("no site named '" + name + "' in " + file + "; see `mycel site ls`");
  }

  private void releaseQuietly(String cid) {
    try {
      List<Site> sites = load();
      String owner = sites.stream().filter(s -> s.cid().equals(cid)).map(Site::name).findFirst().orElse(null);
      if (owner == null) {
        unpinIfOurs(Cid.parse(cid));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not unpin the previous version {}: {}", cid, e.getMessage());
    }
  }

  private void release(String cidText, String name, List<Site> rest) throws IOException {
    if (rest.stream().anyMatch(s -> s.cid().equals(cidText))) {
      return;
    }
    Cid cid = Cid.parse(cidText);
    Optional<Pin> pin = repo.pins().get(cid);
    if (pin.isPresent() && pin.get().name().orElse("").equals(PIN_PREFIX + name)) {
      repo.pins().unpin(cid);
    }
  }

  private void unpinIfOurs(Cid cid) throws IOException {
    Optional<Pin> pin = repo.pins().get(cid);
    if (pin.isPresent() && pin.get().name().orElse("").startsWith(PIN_PREFIX)) {
      repo.pins().unpin(cid);
    }
  }

  private void rollBack(Cid cid, Optional<Pin> pinBefore) {
    try {
      if (pinBefore.isEmpty()) {
        repo.pins().unpin(cid);
      } else {
        repo.pins().pin(cid, pinBefore.get().type(), pinBefore.get().name());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not take back the pin of {} after a failed publish: {}", cid, e.getMessage());
    }
  }

  private static List<Site> replace(List<Site> sites, Site site) {
    List<Site> updated = new ArrayList<>(sites);
    updated.removeIf(s -> s.name().equals(site.name()));
    updated.add(site);
    return updated;
  }

  private List<Site> load() throws IOException {
    return readFile(file);
  }

  /** The sites listed in a {@value #FILE}; none when it does not exist. */
  public static List<Site> readFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      State state = JSON.readValue(file.toFile(), State.class);
      return state == null ? List.of() : state.sites();
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not a valid sites file: " + e.getOriginalMessage(), e);
    }
  }

  private void save(List<Site> sites) throws IOException {
    List<Site> sorted = new ArrayList<>(sites);
    sorted.sort(Comparator.comparing(Site::name));
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, JSON.writeValueAsString(new State(sorted)) + "\n");
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
