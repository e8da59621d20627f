package io.mycel.routing.mdns;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds peers on the local network and lets them find this one, by multicast DNS (<a
 * href="https://github.com/libp2p/specs/blob/master/discovery/mdns.md">libp2p mDNS</a>).
 *
 * <p>One UDP socket is bound to the group's port (shared with other responders on the machine
 * through {@code SO_REUSEADDR}) and joins the group on each chosen interface; queries and
 * responses go out on each of them, looped back to this machine too. A query is sent at start and
 * every {@link MdnsConfig#interval()}; every query for the service is answered with this peer's
 * current addresses, at most once a {@linkplain #MIN_MULTICAST_RESPONSE_INTERVAL second}. A packet that is too large, not DNS, or announces the service with bad
 * addresses is ignored with a debug log and reported to {@link Listener#ignored}. Announcements
 * are not authenticated: the caller dials with the announced peer id, which the secure handshake
 * checks.
 */
public final class MdnsDiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscovery.class);
  /**
   * RFC 6762 section 6: a record is multicast at most once a second on an interface; queries in
   * between were answered by the last response, which every querier on the link heard.
   */
  public static final Duration MIN_MULTICAST_RESPONSE_INTERVAL = Duration.ofSeconds(1);

  /** Told of what the network announces; called on the receiving thread, so it must not block. */
  public interface Listener {
    /** A peer announced itself (again: every response is reported). */
    void discovered(DiscoveredPeer peer);

    /** A packet, or part of one, was ignored, for the reason given. */
    default void ignored(SocketAddress sender, String reason) {}
  }

  private final PeerId self;
  private final Supplier<List<Multiaddr>> addresses;
  private final MdnsConfig config;
  private final MdnsMessages messages;
  private final Listener listener;
  private final String peerName;
  private final DatagramChannel channel;
  private final List<NetworkInterface> interfaces;
  private final InetSocketAddress groupAddress;
  private final ScheduledExecutorService scheduler;
  private final Thread receiver;
  private volatile boolean closed;
  private long lastMulticastResponse = System.nanoTime() - MIN_MULTICAST_RESPONSE_INTERVAL.toNanos();

  private MdnsDiscovery(PeerId self, Supplier<List<Multiaddr>> addresses, MdnsConfig config,
      Listener listener, DatagramChannel channel, List<NetworkInterface> interfaces) {
    this.self = self;
    this.addresses = addresses;
    this.config = config;
    this.messages = new MdnsMessages(config);
    this.listener = listener;
    this.peerName = MdnsMessages.randomPeerName(new SecureRandom());
    this.channel = channel;
    this.interfaces = List.copyOf(interfaces);
    this.groupAddress = new InetSocketAddress(config.group(), config.port());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mycel-mdns-query");
      t.setDaemon(true);
      return t;
    });
    this.receiver = new Thread(this::receive, "mycel-mdns-receive");
    this.receiver.setDaemon(true);
  }

  /**
   * Joins the group and starts querying and answering.
   *
   * @param self this peer's id; announcements of it are not reported
   * @param addresses this peer's current addresses, each ending in {@code /p2p/<self>}
   * @throws IOException if the socket cannot be bound, or no interface joins the group (the
   *     kernel offers no multicast): the message names the interfaces tried
   */
  public static MdnsDiscovery start(PeerId self, Supplier<List<Multiaddr>> addresses,
      MdnsConfig config, Listener listener) throws IOException {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(addresses, "addresses");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    List<NetworkInterface> candidates = candidates(config);
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(config.port()));
      // RFC 6762 section 11: sent with IP TTL 255; looped back so that peers on this host hear it.
      channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
      channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      List<NetworkInterface> joined = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (NetworkInterface candidate : candidates) {
        try {
          channel.join(config.group(), candidate);
          joined.add(candidate);
        } catch (IOException | UnsupportedOperationException e) {
          failures.add(candidate.getName() + ": " + e.getMessage());
          LOG.debug("mDNS: interface {} cannot join {}: {}", candidate.getName(), config.group(),
              e.getMessage());
        }
      }
      if (joined.isEmpty()) {
        throw new IOException("no network interface joined the mDNS group " + config.group()
            + " (tried " + (failures.isEmpty() ? "none: no interface is up" : failures)
            + "); the system offers no multicast, so mDNS discovery cannot run");
      }
      MdnsDiscovery discovery = new MdnsDiscovery(self, addresses, config, listener, channel, joined);
      discovery.receiver.start();
      discovery.scheduler.scheduleWithFixedDelay(discovery::query, 0,
          config.interval().toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("mDNS discovery on {}:{} via {}", config.group().getHostAddress(), config.port(),
          joined.stream().map(NetworkInterface::getName).toList());
      return discovery;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static List<NetworkInterface> candidates(MdnsConfig config) throws IOException {
    List<NetworkInterface> result = new ArrayList<>();
    if (!config.interfaces().isEmpty()) {
      for (String name : config.interfaces()) {
        NetworkInterface named = NetworkInterface.getByName(name);
        if (named == null) {
          throw new IOException("mDNS: no network interface named \"" + name + "\"; the interfaces"
              + " here are " + NetworkInterface.networkInterfaces().map(NetworkInterface::getName)
              .toList());
        }
        result.add(named);
      }
      return result;
    }
    for (NetworkInterface candidate : NetworkInterface.networkInterfaces().toList()) {
      try {
        // Linux multicasts on the loopback interface although it does not claim to.
        boolean usable = candidate.isUp() && (candidate.supportsMulticast() || candidate.isLoopback())
            && candidate.inetAddresses().anyMatch(a -> a instanceof Inet4Address);
        if (usable) {
          result.add(candidate);
        }
      } catch (SocketException e) {
        LOG.debug("mDNS: skipping interface {}: {}", candidate.getName(), e.getMessage());
      }
    }
    return result;
  }

  /** The random name this peer answers under. */
  public String peerName() {
    return peerName;
  }

  /** The interfaces that joined the group. */
  public List<NetworkInterface> interfaces() {
    return interfaces;
  }

  public MdnsConfig config() {
    return config;
  }

  /** Asks the local network for peers now (this also happens every interval). */
  public void query() {
    send(messages.query(), null);
  }

  private void receive() {
    ByteBuffer buffer = ByteBuffer.allocate(config.maxPacketBytes() + 1);
    while (!closed) {
      SocketAddress sender;
      try {
        buffer.clear();
        sender = channel.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("mDNS: receiving failed: {}", e.getMessage());
        }
        continue;
      }
      try {
        handle(sender, buffer.array(), buffer.position());
      } catch (RuntimeException e) {
        LOG.warn("mDNS: handling a packet from {} failed", sender, e);
      }
    }
  }

  private void handle(SocketAddress sender, byte[] packet, int length) {
    MdnsMessages.Packet decoded;
    try {
      decoded = messages.decode(packet, length);
    } catch (InvalidMdnsPacketException e) {
      ignore(sender, e.getMessage());
      return;
    }
    switch (decoded) {
      case MdnsMessages.Query query -> {
        if (query.asksForPeers()) {
          answer(sender, query);
        }
      }
      case MdnsMessages.Response response -> {
        for (String reason : response.rejected()) {
          ignore(sender, reason);
        }
        for (MdnsMessages.Announcement announcement : response.announcements()) {
          DiscoveredPeer peer = announcement.peer();
          if (!peer.peerId().equals(self)) {
            listener.discovered(peer);
          } else if (!announcement.peerName().equalsIgnoreCase(peerName)) {
            ignore(sender, "peer name " + announcement.peerName() + " claims this node's peer id "
                + self);
          }
        }
      }
    }
  }

  private void ignore(SocketAddress sender, String reason) {
    LOG.debug("mDNS: ignoring a packet from {}: {}", sender, reason);
    try {
      listener.ignored(sender, reason);
    } catch (RuntimeException e) {
      LOG.warn("mDNS listener failed", e);
    }
  }

  private void answer(SocketAddress sender, MdnsMessages.Query query) {
    List<Multiaddr> announced = addresses.get().stream()
        .filter(a -> a.peerId().map(self::equals).orElse(false))
        .toList();
    Optional<byte[]> response = messages.response(peerName, announced);
    if (response.isEmpty()) {
      LOG.debug("mDNS: no address of this node fits a response");
      return;
    }
    // RFC 6762 section 6.7: a query from another port than the group's is a legacy unicast one.
    boolean legacy = sender instanceof InetSocketAddress from && from.getPort() != config.port();
    if (legacy) {
      send(response.get(), sender);
      return;
    }
    long now = System.nanoTime();
    if (now - lastMulticastResponse < MIN_MULTICAST_RESPONSE_INTERVAL.toNanos()) {
      LOG.trace("mDNS: answered less than {} ago, not again", MIN_MULTICAST_RESPONSE_INTERVAL);
      return;
    }
    lastMulticastResponse = now;
    send(response.get(), null);
  }

  /** Sends to {@code unicast}, or to the group on every joined interface when it is null. */
  private synchronized void send(byte[] packet, SocketAddress unicast) {
    if (closed) {
      return;
    }
    try {
      if (unicast != null) {
        channel.send(ByteBuffer.wrap(packet), unicast);
        return;
      }
      for (NetworkInterface network : interfaces) {
        try {
          channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, network);
          channel.send(ByteBuffer.wrap(packet), groupAddress);
        } catch (ClosedChannelException e) {
          throw e;
        } catch (IOException e) {
          LOG.debug("mDNS: sending on {} failed: {}", network.getName(), e.getMessage());
        }
      }
    } catch (ClosedChannelException e) {
      // closing
    } catch (IOException e) {
      LOG.debug("mDNS: sending to {} failed: {}", unicast, e.getMessage());
    }
  }

  /** Leaves the group and stops querying and answering. */
  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("mDNS: closing the socket: {}", e.getMessage());
    }
    try {
      receiver.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
