package io.mycel.net.host;

import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multiaddr.Protocol;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.Host;
import io.mycel.net.MycelNetException;
import io.mycel.net.PeerIdMismatchException;
import io.mycel.net.PeerStore;
import io.mycel.net.ProtocolRegistry;
import io.mycel.net.ResourceLimitException;
import io.mycel.net.Stream;
import io.mycel.net.yamux.YamuxConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p host over TCP with Netty: listens and dials, upgrades each connection with
 * {@link ConnectionUpgrader} (relayed connections too, see {@link #upgradeOver}), keeps the connection manager's limits, and serves inbound streams
 * on virtual threads.
 */
public final class NettyHost implements Host {
  private static final Logger LOG = LoggerFactory.getLogger(NettyHost.class);
  public static final String NOISE = "/noise";
  public static final String YAMUX = "/yamux/1.0.0";

  /**
   * Bytes queued in a connection's outbound buffer before stream writers wait. Netty's default
   * (64 KiB) is one Yamux frame, which would make every writer wait for each frame to reach the
   * socket; 1 MiB lets writers run ahead of the event loop while keeping the queue bounded.
   */
  static final WriteBufferWaterMark WRITE_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

  private final PrivateKey privateKey;
  private final PeerId peerId;
  private final HostConfig config;
  private final YamuxConfig yamuxConfig;
  private final DefaultProtocolRegistry protocols = new DefaultProtocolRegistry();
  private final PeerStore peerStore = new PeerStore();
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
  private final ConnectionUpgrader upgrader = new ConnectionUpgrader(this);
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
  private final Map<PeerId, List<NettyConnection>> connections = new ConcurrentHashMap<>();
  private final AtomicInteger openChannels = new AtomicInteger();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final Traffic traffic = new Traffic();
  private final TrafficCounter trafficCounter = new TrafficCounter(traffic);
  private final StreamChannels streamChannels = new StreamChannels(blocking);
  private final List<Supplier<List<Multiaddr>>> addressSources = new CopyOnWriteArrayList<>();
  private volatile Function<Multiaddr, CompletableFuture<Connection>> circuitDialer;
  private volatile boolean closed;

  public NettyHost(PrivateKey privateKey, HostConfig config) {
    this(privateKey, config, null);
  }

  /**
   * A host whose I/O runs on {@code sharedGroup} (many hosts in one process, as in benchmarks
   * and simulations), or on its own event loops when it is null.
   */
  public NettyHost(PrivateKey privateKey, HostConfig config, EventLoopGroup sharedGroup) {
    this.privateKey = privateKey;
    this.peerId = PeerId.fromPublicKey(privateKey.publicKey());
    this.config = config;
    this.yamuxConfig = YamuxConfig.defaults()
        .withMaxStreams(config.maxStreamsPerConnection())
        .withIdleStreamTimeout(config.idleStreamTimeout());
    this.ownsGroup = sharedGroup == null;
    this.group = sharedGroup != null ? sharedGroup : newEventLoopGroup();
  }

  /** Binds every listen address; fails with a message naming the address that could not be bound. */
  public NettyHost start() {
    for (Multiaddr address : config.listenAddresses()) {
      InetSocketAddress socket = tcpSocket(address);
      SocketProtocolFamily family = familyOf(socket);
      ensureFree(address, socket);
      ServerBootstrap bootstrap = new ServerBootstrap()
          .group(group)
          .channelFactory(() -> new NioServerSocketChannel(SelectorProvider.provider(), family))
          .option(ChannelOption.SO_BACKLOG, 1024)
          // Hole punching dials from the listen port (dialDirect).
          .option(ChannelOption.SO_REUSEADDR, true)
          .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_WATER_MARK)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              accept(ch);
            }
          });
      ChannelFuture bound = bootstrap.bind(socket).awaitUninterruptibly();
      if (!bound.isSuccess()) {
        close();
        throw new MycelNetException("cannot listen on " + address + ": " + bound.cause().getMessage(),
            bound.cause());
      }
      serverChannels.add(bound.channel());
      LOG.info("listening on {}", toMultiaddr(bound.channel().localAddress()));
    }
    return this;
  }

  /**
   * The listener allows port reuse (for hole punching), which would also let a second host bind
   * a port another one listens on and silently share its connections; a plain bind first keeps
   * "port in use" an error.
   */
  private void ensureFree(Multiaddr address, InetSocketAddress socket) {
    if (socket.getPort() == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(socket);
    } catch (java.io.IOException e) {
      close();
      throw new MycelNetException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  private void accept(SocketChannel ch) {
    if (closed || !reserveChannel(ch)) {
      LOG.warn("refusing inbound connection from {}: {} connections open (limit {})",
          toMultiaddr(ch.remoteAddress()), openChannels.get(), config.maxConnections());
      ch.close();
      return;
    }
    ch.pipeline().addFirst(TrafficCounter.NAME, trafficCounter);
    upgrader.upgrade(ch, false, null).whenComplete((conn, err) -> {
      if (conn != null) {
        register(conn);
      }
    });
  }

  private boolean reserveChannel(Channel ch) {
    if (openChannels.incrementAndGet() > config.maxConnections()) {
      openChannels.decrementAndGet();
      return false;
    }
    ch.closeFuture().addListener(f -> openChannels.decrementAndGet());
    return true;
  }

  private void register(NettyConnection conn) {
    PeerId remote = conn.remotePeer();
    List<NettyConnection> forPeer =
        connections.computeIfAbsent(remote, k -> new CopyOnWriteArrayList<>());
    synchronized (forPeer) {
      if (forPeer.size() >= config.maxConnectionsPerPeer()) {
        LOG.warn("closing {}: {} connections to that peer already (limit {})", conn, forPeer.size(),
            config.maxConnectionsPerPeer());
        conn.channel().close();
        return;
      }
      forPeer.add(conn);
    }
    traffic.connectionOpened();
    peerStore.addAddresses(remote, conn.isInitiator() ? List.of(conn.remoteAddress()) : List.of());
    LOG.info("peer connected: {} at {} ({})", remote, conn.remoteAddress(),
        conn.isInitiator() ? "outbound" : "inbound");
    conn.closeFuture().whenComplete((v, e) -> {
      forPeer.remove(conn);
      connections.computeIfPresent(remote, (k, list) -> list.isEmpty() ? null : list);
      LOG.info("peer disconnected: {} at {}", remote, conn.remoteAddress());
      blocking.execute(() -> listeners.forEach(l -> l.disconnected(conn)));
    });
    blocking.execute(() -> listeners.forEach(l -> l.connected(conn)));
  }

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    if (closed) {
      return CompletableFuture.failedFuture(new ConnectionClosedException("host is closed"));
    }
    PeerId expected = address.peerId().orElse(null);
    if (expected != null) {
      if (expected.equals(peerId)) {
        return CompletableFuture.failedFuture(new MycelNetException("refusing to dial self"));
      }
      List<Connection> existing = connections(expected);
      if (!existing.isEmpty()) {
        return CompletableFuture.completedFuture(preferDirect(existing));
      }
    }
    if (address.has(Protocol.P2P_CIRCUIT)) {
      Function<Multiaddr, CompletableFuture<Connection>> dialer = circuitDialer;
      return dialer != null
          ? dialer.apply(address)
          : CompletableFuture.failedFuture(new MycelNetException(
              "cannot dial " + address + ": the relay client is not enabled on this host"));
    }
    return connect(address, expected, null, false);
  }

  /** A direct connection when there is one (after a hole punch), else the first. */
  private static Connection preferDirect(List<Connection> open) {
    return open.stream().filter(c -> !c.isRelayed() && c.isOpen()).findFirst().orElse(open.get(0));
  }

  /**
   * Dials {@code address} for a hole punch (<a
   * href="https://github.com/libp2p/specs/blob/master/relay/DCUtR.md">DCUtR</a>): never reuses an
   * open connection (the peer is already connected through a relay), dials from this host's first
   * listen port (the listener allows port reuse), so that a NAT that keeps ports maps the dial to
   * the address peers observe, and takes the responder role of the handshake when {@code
   * asResponder}: in a TCP simultaneous open both sides dial, and one of them must answer.
   *
   * @param expected the peer that must answer; the connection is closed if another does
   */
  public CompletableFuture<Connection> dialDirect(Multiaddr address, PeerId expected, boolean asResponder) {
    if (closed) {
      return CompletableFuture.failedFuture(new ConnectionClosedException("host is closed"));
    }
    InetSocketAddress local =
        serverChannels.isEmpty() ? null : (InetSocketAddress) serverChannels.get(0).localAddress();
    return connect(address.withoutPeerId().withPeerId(expected), expected, local, asResponder)
        .thenCompose(connection -> {
          if (!connection.remotePeer().equals(expected)) {
            connection.close();
            return CompletableFuture.failedFuture(new PeerIdMismatchException(expected, connection.remotePeer()));
          }
          return CompletableFuture.completedFuture(connection);
        });
  }

  private CompletableFuture<Connection> connect(Multiaddr address, PeerId expected,
      InetSocketAddress localAddress, boolean asResponder) {
    InetSocketAddress target;
    try {
      target = tcpSocket(address.withoutPeerId());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    SocketProtocolFamily family = familyOf(target);
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channelFactory(() -> new NioSocketChannel(SelectorProvider.provider(), family))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_WATER_MARK)
        // Nothing is read until the upgrade's first handler is in place: a listener may send
        // its multistream header as soon as it accepts.
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.handshakeTimeout().toMillis())
        .option(ChannelOption.SO_REUSEADDR, localAddress != null)
        .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), localAddress != null)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {}
        });
    ChannelFuture connecting = localAddress == null
        ? bootstrap.connect(target) : bootstrap.connect(target, localAddress);
    connecting.addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new ConnectionClosedException(
            "cannot connect to " + address + ": " + f.cause().getMessage()));
        return;
      }
      Channel ch = f.channel();
      if (!reserveChannel(ch)) {
        ch.close();
        result.completeExceptionally(new ResourceLimitException(
            "connection limit reached (" + config.maxConnections() + ")"));
        return;
      }
      ch.pipeline().addFirst(TrafficCounter.NAME, trafficCounter);
      CompletableFuture<NettyConnection> upgrade =
          upgrader.upgrade(ch, !asResponder, asResponder ? null : expected);
      ch.config().setAutoRead(true);
      upgrade.whenComplete((conn, err) -> {
        if (err != null) {
          result.completeExceptionally(err);
        } else {
          register(conn);
          if (conn.isOpen()) {
            result.complete(conn);
          } else {
            result.completeExceptionally(new ResourceLimitException(
                "connection to " + conn.remotePeer() + " refused by the per-peer limit"));
          }
        }
      });
    });
    return result;
  }

  /**
   * Runs a connection over {@code carrier}, a stream of another connection (a relayed
   * connection through a Circuit Relay): the same Noise and Yamux upgrade as over TCP, with
   * this side as the security initiator when {@code initiator}. The connection counts against
   * the connection limits and is registered like any other; it closes when the carrier ends.
   *
   * @param expected the peer the handshake must authenticate, or null for any
   * @param remoteAddress the connection's remote address, e.g.
   *     {@code /ip4/1.2.3.4/tcp/4001/p2p/RELAY/p2p-circuit}
   */
  public CompletableFuture<Connection> upgradeOver(Stream carrier, boolean initiator,
      PeerId expected, Multiaddr remoteAddress, Multiaddr localAddress) {
    if (closed) {
      carrier.reset();
      return CompletableFuture.failedFuture(new ConnectionClosedException("host is closed"));
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    streamChannels.open(carrier).whenComplete((ch, err) -> {
      if (err != null) {
        carrier.reset();
        result.completeExceptionally(err);
        return;
      }
      if (!reserveChannel(ch)) {
        ch.close();
        result.completeExceptionally(new ResourceLimitException(
            "connection limit reached (" + config.maxConnections() + ")"));
        return;
      }
      CompletableFuture<NettyConnection> upgrade =
          upgrader.upgrade(ch, initiator, expected, remoteAddress, localAddress);
      ch.config().setAutoRead(true);
      upgrade.whenComplete((conn, err2) -> {
        if (err2 != null) {
          result.completeExceptionally(err2);
          return;
        }
        register(conn);
        if (conn.isOpen()) {
          result.complete(conn);
        } else {
          result.completeExceptionally(new ResourceLimitException(
              "relayed connection to " + conn.remotePeer() + " refused by the per-peer limit"));
        }
      });
    });
    return result;
  }

  /**
   * Sets what dials addresses containing {@code /p2p-circuit} (the relay client); without one,
   * such dials fail.
   */
  public void setCircuitDialer(Function<Multiaddr, CompletableFuture<Connection>> dialer) {
    this.circuitDialer = dialer;
  }

  /** Adds addresses to those {@link #advertisedAddresses()} announces, e.g. relay addresses. */
  public void addAddressSource(Supplier<List<Multiaddr>> source) {
    addressSources.add(source);
  }

  @Override
  public List<Multiaddr> advertisedAddresses() {
    List<Multiaddr> result = new ArrayList<>(listenAddresses());
    for (Supplier<List<Multiaddr>> source : addressSources) {
      for (Multiaddr address : source.get()) {
        if (!result.contains(address)) {
          result.add(address);
        }
      }
    }
    return result;
  }

  @Override
  public CompletableFuture<Connection> dial(PeerId peer) {
    List<Connection> existing = connections(peer);
    if (!existing.isEmpty()) {
      return CompletableFuture.completedFuture(preferDirect(existing));
    }
    List<Multiaddr> addresses = peerStore.get(peer).map(PeerStore.PeerInfo::addresses).orElse(List.of());
    if (addresses.isEmpty()) {
      return CompletableFuture.failedFuture(new MycelNetException("no known address for " + peer));
    }
    CompletableFuture<Connection> attempt = dial(addresses.get(0).withPeerId(peer));
    for (Multiaddr next : addresses.subList(1, addresses.size())) {
      attempt = attempt.exceptionallyCompose(e -> dial(next.withPeerId(peer)));
    }
    return attempt;
  }

  @Override
  public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocolIds) {
    return dial(peer).thenCompose(c -> c.openStream(protocolIds));
  }

  @Override
  public List<Connection> connections() {
    List<Connection> all = new ArrayList<>();
    connections.values().forEach(all::addAll);
    return all;
  }

  @Override
  public List<Connection> connections(PeerId peer) {
    List<NettyConnection> list = connections.get(peer);
    return list == null ? List.of() : List.copyOf(list);
  }

  @Override
  public void addListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public PrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String agentVersion() {
    return config.agentVersion();
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    List<Multiaddr> result = new ArrayList<>();
    for (Channel server : serverChannels) {
      InetSocketAddress bound = (InetSocketAddress) server.localAddress();
      if (bound.getAddress().isAnyLocalAddress()) {
        boolean v6 = bound.getAddress() instanceof Inet6Address;
        for (InetAddress local : interfaceAddresses()) {
          if ((local instanceof Inet6Address) == v6) {
            result.add(Multiaddr.fromSocketAddress(new InetSocketAddress(local, bound.getPort())));
          }
        }
      } else {
        result.add(Multiaddr.fromSocketAddress(bound));
      }
    }
    return result;
  }

  private static List<InetAddress> interfaceAddresses() {
    List<InetAddress> addresses = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (!a.isLinkLocalAddress()) {
            addresses.add(a instanceof Inet6Address v6 && v6.getScopeId() != 0
                ? InetAddress.getByAddress(a.getAddress()) : a);
          }
        }
      }
    } catch (SocketException | java.net.UnknownHostException e) {
      LOG.warn("cannot list network interfaces: {}", e.getMessage());
    }
    return addresses;
  }

  @Override
  public ProtocolRegistry protocols() {
    return protocols;
  }

  /** The registry, with change notification (identify push uses it). */
  public DefaultProtocolRegistry registry() {
    return protocols;
  }

  @Override
  public PeerStore peerStore() {
    return peerStore;
  }

  /** Bytes and streams carried by this host's connections, per protocol and in total. */
  public Traffic traffic() {
    return traffic;
  }

  /** TCP connections open or being upgraded, as counted against {@code maxConnections}. */
  int openChannelCount() {
    return openChannels.get();
  }

  public HostConfig config() {
    return config;
  }

  YamuxConfig yamuxConfig() {
    return yamuxConfig;
  }

  ExecutorService blockingExecutor() {
    return blocking;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    serverChannels.forEach(Channel::close);
    for (Connection c : connections()) {
      c.close();
    }
    streamChannels.close();
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    blocking.shutdownNow();
  }

  /** Event loops for one host: one per core, at least two. */
  public static EventLoopGroup newEventLoopGroup() {
    return new MultiThreadIoEventLoopGroup(
        Math.max(2, Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
  }

  /**
   * IPv4 addresses get IPv4-only sockets, so that {@code /ip4/0.0.0.0} is not a dual-stack
   * socket that reports itself as {@code ::} and takes the IPv6 port as well.
   */
  private static SocketProtocolFamily familyOf(InetSocketAddress address) {
    return !address.isUnresolved() && address.getAddress() instanceof Inet6Address
        ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
  }

  static InetSocketAddress tcpSocket(Multiaddr address) {
    if (address.valueOf(Protocol.TCP).isEmpty()) {
      throw new MycelNetException("not a TCP address: " + address);
    }
    return address.toSocketAddress();
  }

  static Multiaddr toMultiaddr(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? Multiaddr.fromSocketAddress(inet) : null;
  }

}
