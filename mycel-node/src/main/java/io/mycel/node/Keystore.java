package io.mycel.node;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.KeyFiles;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import io.mycel.routing.ipns.IpnsName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The named keys of a node home, each an IPNS name the node can publish: {@code keys/<name>.key}
 * (mode 0600, written by {@link KeyFiles}). The name {@value #SELF} is the node identity
 * ({@code identity.key}); it cannot be generated or removed here.
 *
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/#ipns-name">IPNS name</a>
 */
public final class Keystore {
  /** The reserved name of the node identity key. */
  public static final String SELF = "self";
  /** The folder of the named keys, inside the home. */
  public static final String DIR = "keys";
  /** The file extension of a named key. */
  public static final String EXTENSION = ".key";
  /** Longest key name. */
  public static final int MAX_NAME_LENGTH = 64;

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1," + MAX_NAME_LENGTH + "}");

  /** One key of the store: its name and the IPNS name it signs for. */
  public record Entry(String name, IpnsName ipnsName) {
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(ipnsName, "ipnsName");
    }
  }

  private final NodeHome home;

  public Keystore(NodeHome home) {
    this.home = Objects.requireNonNull(home, "home");
  }

  public Path dir() {
    return home.dir().resolve(DIR);
  }

  /**
   * Checks a key name: 1 to {@value #MAX_NAME_LENGTH} of {@code a-z A-Z 0-9 . _ -}.
   *
   * @throws IllegalArgumentException naming the bad name
   */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("invalid key name '" + name + "': use 1 to "
          + MAX_NAME_LENGTH + " of the characters a-z A-Z 0-9 . _ -");
    }
    return name;
  }

  /** The IPNS name signed by {@code key}. */
  public static IpnsName ipnsName(PrivateKey key) {
    return new IpnsName(PeerId.fromPublicKey(key.publicKey()));
  }

  /**
   * Generates a new Ed25519 key under {@code name}.
   *
   * @return the IPNS name of the new key
   * @throws IllegalArgumentException if the name is invalid or {@value #SELF}
   * @throws IOException if a key of that name exists or cannot be written
   */
  public synchronized IpnsName gen(String name) throws IOException {
    checkName(name);
    refuseSelf(name, "generated");
    Path file = file(name);
    if (Files.exists(file)) {
      throw new IOException("a key named '" + name + "' already exists at " + file);
    }
    Files.createDirectories(dir());
    PrivateKey key = Ed25519.generate();
    KeyFiles.write(file, key);
    return ipnsName(key);
  }

  /** Every key, {@value #SELF} first (when the home has an identity), then by name. */
  public synchronized List<Entry> list() throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (Files.exists(home.keyFile())) {
      entries.add(new Entry(SELF, ipnsName(home.loadKey())));
    }
    if (!Files.isDirectory(dir())) {
      return entries;
    }
    List<Entry> named = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir(), "*" + EXTENSION)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - EXTENSION.length());
        if (!NAME.matcher(name).matches() || name.equals(SELF) || !Files.isRegularFile(file)) {
          continue;
        }
        named.add(new Entry(name, ipnsName(KeyFiles.read(file))));
      }
    }
    named.sort(Comparator.comparing(Entry::name));
    entries.addAll(named);
    return entries;
  }

  /**
   * Deletes the key {@code name}.
   *
   * @throws IllegalArgumentException if the name is invalid or {@value #SELF}
   * @throws IOException if there is no such key
   */
  public synchronized void remove(String name) throws IOException {
    checkName(name);
    refuseSelf(name, "removed");
    try {
      Files.delete(file(name));
    } catch (NoSuchFileException e) {
      throw new IOException("no key named '" + name + "' in " + dir());
    }
  }

  /**
   * The private key {@code name}; {@value #SELF} is the node identity.
   *
   * @throws IOException if there is no such key or it cannot be read
   */
  public synchronized PrivateKey load(String name) throws IOException {
    checkName(name);
    if (name.equals(SELF)) {
      return home.loadKey();
    }
    Path file = file(name);
    if (!Files.exists(file)) {
      throw new IOException("no key named '" + name + "' in " + dir()
          + "; create it with `mycel key gen " + name + "`");
    }
    return KeyFiles.read(file);
  }

  /** Whether a key named {@code name} exists ({@value #SELF}: whether the home has an identity). */
  public boolean exists(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return false;
    }
    return Files.exists(name.equals(SELF) ? home.keyFile() : file(name));
  }

  private Path file(String name) {
    return dir().resolve(name + EXTENSION);
  }

  private static void refuseSelf(String name, String what) {
    if (name.equals(SELF)) {
      throw new IllegalArgumentException("the key name '" + SELF
          + "' is reserved for the node identity and cannot be " + what);
    }
  }
}
