package io.mycel.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The running daemon's lock and address file in the node home: {@code daemon.lock} keeps a
 * second daemon off the same home, and {@code daemon.json} tells the other commands where the
 * running daemon listens. Both go away when the daemon stops.
 */
public final class DaemonFile implements AutoCloseable {
  public static final String LOCK_FILE = "daemon.lock";
  public static final String INFO_FILE = "daemon.json";
  /** The running daemon's API address as a multiaddr on one line, as Kubo's {@code api} file. */
  public static final String API_FILE = "api";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a running daemon publishes about itself.
   *
   * @param apiUrl the HTTP API's base URL, e.g. {@code http://127.0.0.1:7070}; null when it runs
   *     none
   * @param gatewayUrl the HTTP gateway's base URL; null when it runs none
   */
  public record Info(long pid, String peerId, List<String> swarmAddresses, String apiUrl,
      String gatewayUrl) {
    public Info {
      swarmAddresses = List.copyOf(swarmAddresses);
    }

    /** A daemon without API and gateway. */
    public Info(long pid, String peerId, List<String> swarmAddresses) {
      this(pid, peerId, swarmAddresses, null, null);
    }
  }

  private final NodeHome home;
  private final FileChannel channel;
  private final FileLock lock;

  private DaemonFile(NodeHome home, FileChannel channel, FileLock lock) {
    this.home = home;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the home's daemon lock, or fails naming the process that holds it. */
  public static DaemonFile lock(NodeHome home) throws IOException {
    Files.createDirectories(home.dir());
    FileChannel channel = FileChannel.open(home.dir().resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException e) {
      channel.close();
      throw e;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      // This process already holds the lock (another node of the same process on this home).
      channel.close();
      lock = null;
    }
    if (lock == null) {
      channel.close();
      String holder = read(home).map(i -> " (pid " + i.pid() + ")").orElse("");
      throw new IOException("another Mycel daemon" + holder + " is already running on " + home.dir()
          + "; stop it first or use another home (MYCEL_HOME or --home)");
    }
    return new DaemonFile(home, channel, lock);
  }

  /**
   * Publishes the daemon's addresses for the other commands: {@code daemon.json}, and the
   * {@code api} file with the API's multiaddr when it runs one.
   */
  public void publish(Info info) throws IOException {
    if (info.apiUrl() != null) {
      writeAtomically(API_FILE, apiMultiaddr(info.apiUrl()) + "\n");
    } else {
      Files.deleteIfExists(home.dir().resolve(API_FILE));
    }
    writeAtomically(INFO_FILE, JSON.writeValueAsString(info));
  }

  private void writeAtomically(String name, String content) throws IOException {
    Path file = home.dir().resolve(name);
    Path tmp = home.dir().resolve(name + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code http://127.0.0.1:7070} as {@code /ip4/127.0.0.1/tcp/7070}. */
  static String apiMultiaddr(String url) {
    java.net.URI uri = java.net.URI.create(url);
    String host = uri.getHost();
    if (host.startsWith("[")) {
      return "/ip6/" + host.substring(1, host.length() - 1) + "/tcp/" + uri.getPort();
    }
    return (host.contains(":") ? "/ip6/" : "/ip4/") + host + "/tcp/" + uri.getPort();
  }

  /** What the running daemon of {@code home} published, if one runs. */
  public static Optional<Info> read(NodeHome home) {
    Path file = home.dir().resolve(INFO_FILE);
    try {
      Info info = JSON.readValue(file.toFile(), Info.class);
      boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
      return alive ? Optional.of(info) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes the {@code api} file, first thing when the daemon stops, so that no command sends a
   * request to an API that is going away.
   */
  public void withdrawApi() throws IOException {
    Files.deleteIfExists(home.dir().resolve(API_FILE));
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(home.dir().resolve(API_FILE));
    Files.deleteIfExists(home.dir().resolve(INFO_FILE));
    lock.release();
    channel.close();
  }
}
