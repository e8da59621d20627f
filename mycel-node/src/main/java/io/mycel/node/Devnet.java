package io.mycel.node;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.node.gateway.Gateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local network of full nodes in one process, for development and tests: node {@code i} lives
 * in its own home {@code dir/node-i}, listens on free loopback ports for the swarm, the HTTP
 * gateway and the HTTP API (with the dashboard), and holds its home's daemon lock with a
 * {@code daemon.json} and {@code api} file just as {@code mycel daemon} does, so the other commands
 * run against a home reach its node. Nodes 2..N join the DHT through node 1, and their
 * {@code config.json} keeps node 1's address in {@code bootstrap}; mDNS is off, so the network is
 * exactly its N nodes.
 */
public final class Devnet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);

  public static final int MIN_NODES = 1;
  public static final int MAX_NODES = 64;
  /** Loopback, any free port: where every swarm, gateway and API of the network listens. */
  public static final String LOOPBACK_ANY_PORT = "/ip4/127.0.0.1/tcp/0";
  /** How long a node may take to join the DHT through node 1 before the next one starts. */
  public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
  /** Prefix of each node's home folder name, followed by its number from 1. */
  public static final String HOME_PREFIX = "node-";

  private final Path dir;
  private final List<Member> members;
  private boolean closed;

  private Devnet(Path dir, List<Member> members) {
    this.dir = dir;
    this.members = List.copyOf(members);
  }

  /**
   * Starts {@code nodes} nodes with homes under {@code dir} (created and initialized as needed)
   * and returns once each has joined the DHT through node 1 (or {@link #JOIN_TIMEOUT} passed).
   *
   * @throws IllegalArgumentException when {@code nodes} is not between {@link #MIN_NODES} and
   *     {@link #MAX_NODES}
   * @throws IOException when a home cannot be set up, is locked by a running daemon, or a port
   *     cannot be bound; the nodes already started are stopped
   */
  public static Devnet start(Path dir, int nodes) throws IOException {
    if (nodes < MIN_NODES || nodes > MAX_NODES) {
      throw new IllegalArgumentException("a devnet has between " + MIN_NODES + " and " + MAX_NODES
          + " nodes, not " + nodes);
    }
    Path root = dir.toAbsolutePath().normalize();
    List<Member> started = new ArrayList<>();
    try {
      String bootstrap = null;
      for (int i = 1; i <= nodes; i++) {
        NodeHome home = new NodeHome(root.resolve(HOME_PREFIX + i));
        Member member = Member.start(i, home, bootstrap == null ? List.of() : List.of(bootstrap));
        started.add(member);
        if (bootstrap == null) {
          bootstrap = member.swarmAddress().toString();
        } else {
          member.awaitJoined();
        }
      }
    } catch (IOException | RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
    Devnet devnet = new Devnet(root, started);
    LOG.info("devnet of {} nodes running under {}", nodes, root);
    return devnet;
  }

  /** The folder holding every node's home. */
  public Path dir() {
    return dir;
  }

  /** The nodes, node 1 first. */
  public List<Member> nodes() {
    return members;
  }

  /** Node {@code number}, counting from 1. */
  public Member node(int number) {
    if (number < 1 || number > members.size()) {
      throw new IllegalArgumentException("no node " + number + " in a devnet of " + members.size());
    }
    return members.get(number - 1);
  }

  /** Stops every node and releases its home's daemon lock; repeated calls do nothing. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException failure = closeAll(members, null);
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes {@code members} last first; returns the first failure (others suppressed in it). */
  private static IOException closeAll(List<Member> members, Exception cause) {
    IOException failure = null;
    for (int i = members.size() - 1; i >= 0; i--) {
      try {
        members.get(i).close();
      } catch (IOException | RuntimeException e) {
        if (cause != null) {
          cause.addSuppressed(e);
        } else if (failure == null) {
          failure = e instanceof IOException io ? io
              : new IOException("stopping node " + members.get(i).number() + ": " + e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  /** One running node of the network: a {@link Daemon} in its own home. */
  public static final class Member implements AutoCloseable {
    private final int number;
    private final Daemon daemon;

    private Member(int number, Daemon daemon) {
      this.number = number;
      this.daemon = daemon;
    }

    /**
     * Starts a full node in {@code home} as {@code mycel daemon} does, on loopback ports, joining
     * through {@code bootstrap} (also written to the home's config when not empty).
     */
    static Member start(int number, NodeHome home, List<String> bootstrap) throws IOException {
      if (!home.isInitialized()) {
        home.init(NodeConfig.defaults());
      }
      NodeConfig stored = home.loadConfig();
      if (!bootstrap.isEmpty() && !stored.bootstrap().equals(bootstrap)) {
        stored = stored.withBootstrap(bootstrap);
        stored.write(home.configFile());
      }
      NodeConfig config = stored.withListen(List.of(LOOPBACK_ANY_PORT))
          .withGateway(LOOPBACK_ANY_PORT)
          .withApi(LOOPBACK_ANY_PORT)
          .withBootstrap(bootstrap)
          // A devnet is a network of its own: mDNS would merge it with others on the machine.
          .withDiscovery(new NodeConfig.Discovery(false, stored.discovery().mdnsIntervalMs()));
      return new Member(number, Daemon.start(home, config));
    }

    private void awaitJoined() {
      try {
        node().joined().get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warn("node {} has not joined the DHT after {}; going on", number, JOIN_TIMEOUT);
      } catch (ExecutionException e) {
        LOG.warn("node {} could not join the DHT: {}", number, e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while node " + number + " joined the DHT", e);
      }
    }

    /** This node's number, from 1. */
    public int number() {
      return number;
    }

    public NodeHome home() {
      return daemon.home();
    }

    public PeerId peerId() {
      return daemon.node().peerId();
    }

    /** The swarm address others dial, with its {@code /p2p/<peer id>} suffix. */
    public Multiaddr swarmAddress() {
      return daemon.node().dialableAddresses().get(0);
    }

    /** The gateway's base URL, e.g. {@code http://127.0.0.1:41234}; content is under {@code /ipfs/}. */
    public String gatewayUrl() {
      InetSocketAddress address = daemon.gatewayAddress();
      return "http://" + address.getHostString() + ":" + address.getPort();
    }

    /** The HTTP API's base URL, e.g. {@code http://127.0.0.1:41235}. */
    public String apiUrl() {
      return daemon.apiUrl();
    }

    /** The dashboard's URL: the API's root, {@code apiUrl() + "/"}. */
    public String dashboardUrl() {
      return daemon.apiUrl() + "/";
    }

    public Node node() {
      return daemon.node();
    }

    /** The daemon running this node: its metrics, bandwidth history and services. */
    public Daemon daemon() {
      return daemon;
    }

    public Repo repo() {
      return daemon.repo();
    }

    public Gateway gateway() {
      return daemon.gateway();
    }

    /** Stops the node's services and releases its home's daemon lock. */
    @Override
    public void close() throws IOException {
      daemon.close();
    }
  }
}
