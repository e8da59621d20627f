package io.mycel.node;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.KeyFiles;
import io.mycel.core.crypto.PrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A node's home folder: {@code $MYCEL_HOME}, else {@code ~/.mycel}. Holds the identity key
 * ({@code identity.key}, mode 0600) and the config ({@code config.json}).
 */
public final class NodeHome {
  public static final String ENV = "MYCEL_HOME";
  public static final String KEY_FILE = "identity.key";
  public static final String CONFIG_FILE = "config.json";

  private final Path dir;

  public NodeHome(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The home named by {@code MYCEL_HOME}, or {@code ~/.mycel}. */
  public static NodeHome fromEnvironment(Map<String, String> env) {
    String configured = env.get(ENV);
    if (configured != null && !configured.isBlank()) {
      return new NodeHome(Path.of(configured));
    }
    return new NodeHome(Path.of(System.getProperty("user.home"), ".mycel"));
  }

  public Path dir() {
    return dir;
  }

  public Path keyFile() {
    return dir.resolve(KEY_FILE);
  }

  public Path configFile() {
    return dir.resolve(CONFIG_FILE);
  }

  public boolean isInitialized() {
    return Files.exists(keyFile()) && Files.exists(configFile());
  }

  /**
   * Creates the home with a new Ed25519 identity and a config holding every default. Refuses to
   * overwrite an existing identity.
   */
  public void init(NodeConfig config) throws IOException {
    if (Files.exists(keyFile())) {
      throw new IOException("a node identity already exists at " + keyFile()
          + "; remove the folder first to start over with a new identity");
    }
    Files.createDirectories(dir);
    KeyFiles.write(keyFile(), Ed25519.generate());
    if (!Files.exists(configFile())) {
      config.write(configFile());
    }
  }

  public PrivateKey loadKey() throws IOException {
    if (!Files.exists(keyFile())) {
      throw new IOException("no node identity at " + keyFile() + "; run `mycel init` first");
    }
    return KeyFiles.read(keyFile());
  }

  public NodeConfig loadConfig() throws IOException {
    return Files.exists(configFile()) ? NodeConfig.read(configFile())
        : NodeConfig.defaults(System.getenv());
  }
}
