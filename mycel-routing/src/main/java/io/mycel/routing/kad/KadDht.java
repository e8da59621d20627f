package io.mycel.routing.kad;

import com.google.protobuf.ByteString;
import io.mycel.core.cid.Cid;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.PeerStore;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.routing.kad.ProviderStore.Provider;
import io.mycel.routing.kad.RecordValidator.InvalidRecordException;
import io.mycel.routing.kad.pb.KadProtos.Message;
import io.mycel.routing.kad.pb.KadProtos.Message.MessageType;
import io.mycel.routing.kad.pb.KadProtos.Record;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p Kademlia DHT (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md">spec</a>) on a {@link
 * Host}: answers {@value #PROTOCOL} requests (unless in client mode) and runs iterative lookups
 * for peers, providers and value records.
 *
 * <p>Peers enter the routing table when they announce {@value #PROTOCOL} through identify (on
 * connection or when they send us a request) or answer one of our requests; peers that fail a
 * request leave it.
 */
public final class KadDht implements Host.ConnectionListener, AutoCloseable {

  public static final String PROTOCOL = "/ipfs/kad/1.0.0";

  /** How long to wait for identify to tell whether a new connection's peer serves the DHT. */
  public static final Duration IDENTIFY_WAIT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(KadDht.class);

  private final Host host;
  private final KadConfig config;
  private final KadCodec codec;
  private final RoutingTable table;
  private final ProviderStore providers;
  private final Map<String, RecordValidator> validators;
  private final Map<ByteString, byte[]> records = new ConcurrentHashMap<>();
  private final PersistentRecordStore persistentRecords;
  private volatile boolean running;

  public KadDht(Host host) {
    this(host, KadConfig.DEFAULT, Clock.systemUTC(), Map.of());
  }

  /**
   * @param validators record validators by namespace ({@code pk} for keys {@code /pk/...});
   *     records of other namespaces are refused
   */
  public KadDht(
      Host host, KadConfig config, Clock clock, Map<String, RecordValidator> validators) {
    this(host, config, clock, validators, null);
  }

  /**
   * @param storeDirectory where provider records ({@code providers/}) and value records
   *     ({@code records/}) are kept across restarts; null keeps them in memory only
   */
  public KadDht(Host host, KadConfig config, Clock clock, Map<String, RecordValidator> validators,
      Path storeDirectory) {
    this.host = host;
    this.config = config;
    this.codec = new KadCodec(config.maxMessageSize());
    this.table = new RoutingTable(host.peerId(), config.k());
    this.validators = Map.copyOf(validators);
    this.providers = new ProviderStore(clock, config.providerTtl(), config.maxProvidersPerKey(),
        storeDirectory == null ? null
            : new PersistentProviderStore(storeDirectory.resolve("providers")));
    this.persistentRecords = storeDirectory == null ? null
        : new PersistentRecordStore(storeDirectory.resolve("records"));
    if (persistentRecords != null) {
      loadRecords();
    }
  }

  /** Takes in the kept records that their validators still accept; drops the others. */
  private void loadRecords() {
    persistentRecords.load().forEach((key, value) -> {
      try {
        validatorFor(key).validate(key, value);
        if (records.size() < config.maxRecords()) {
          records.put(ByteString.copyFrom(key), value);
          return;
        }
      } catch (RuntimeException e) {
        log.debug("dropping kept DHT record: {}", e.getMessage());
      }
      persistentRecords.remove(key);
    });
  }

  /** Registers {@value #PROTOCOL} (server mode) and starts watching connections. */
  public synchronized KadDht start() {
    if (!config.clientMode()) {
      host.protocols().register(PROTOCOL, this::serve);
    }
    if (!running) {
      host.addListener(this);
    }
    running = true;
    return this;
  }

  @Override
  public synchronized void close() {
    running = false;
    host.protocols().unregister(PROTOCOL);
  }

  public RoutingTable routingTable() {
    return table;
  }

  public ProviderStore providerStore() {
    return providers;
  }

  public KadConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- routing table upkeep

  @Override
  public void connected(Connection connection) {
    if (!running) {
      return;
    }
    Thread.ofVirtual()
        .name("mycel-kad-identify-wait")
        .start(() -> addWhenIdentified(connection));
  }

  private void addWhenIdentified(Connection connection) {
    PeerId peer = connection.remotePeer();
    long deadline = System.nanoTime() + IDENTIFY_WAIT.toNanos();
    long pause = 10;
    try {
      while (connection.isOpen() && System.nanoTime() < deadline) {
        Optional<PeerStore.PeerInfo> info = host.peerStore().get(peer);
        if (info.isPresent() && !info.get().protocols().isEmpty()) {
          if (info.get().protocols().contains(PROTOCOL)) {
            addPeer(peer, connection.remoteAddress());
          }
          return;
        }
        Thread.sleep(pause);
        pause = Math.min(pause * 2, 250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean announcesProtocol(PeerId peer) {
    return host.peerStore()
        .get(peer)
        .map(info -> info.protocols().contains(PROTOCOL))
        .orElse(false);
  }

  private void addPeer(PeerId peer, Multiaddr address) {
    RoutingTable.AddResult result = table.add(peer, List.of(address));
    log.debug("routing table add {} at {}: {}", peer, address, result);
  }

  private Multiaddr addressOf(PeerId peer) {
    List<Connection> connections = host.connections(peer);
    if (!connections.isEmpty()) {
      return connections.getFirst().remoteAddress();
    }
    return host.peerStore()
        .get(peer)
        .flatMap(i -> i.addresses().stream().findFirst())
        .orElse(null);
  }

  // ---------------------------------------------------------------- server

  private void serve(Stream stream) throws IOException {
    PeerId remote = stream.connection().remotePeer();
    if (announcesProtocol(remote)) {
      addPeer(remote, stream.connection().remoteAddress());
    }
    while (true) {
      Optional<Message> request;
      Optional<Message> response;
      try {
        request = codec.read(stream.input());
        if (request.isEmpty()) {
          return;
        }
        response = answer(remote, request.get());
      } catch (ProtocolViolationException e) {
        log.warn("kad request from {} refused: {}", remote, e.getMessage());
        throw e;
      }
      if (response.isPresent()) {
        codec.write(stream.output(), response.get());
      }
    }
  }

  /** The answer to one request; empty for requests without one (ADD_PROVIDER). */
  Optional<Message> answer(PeerId remote, Message request) {
    byte[] key = request.getKey().toByteArray();
    switch (request.getType()) {
      case PING:
        return Optional.of(Message.newBuilder().setType(MessageType.PING).build());
      case FIND_NODE:
        return Optional.of(
            Message.newBuilder()
                .setType(MessageType.FIND_NODE)
                .setKey(request.getKey())
                .addAllCloserPeers(closerPeers(key, remote))
                .build());
      case GET_PROVIDERS:
        {
          Message.Builder reply =
              Message.newBuilder().setType(MessageType.GET_PROVIDERS).setKey(request.getKey());
          for (Provider p : providers.get(key)) {
            reply.addProviderPeers(toWire(p.peer(), p.addresses()));
          }
          return Optional.of(reply.addAllCloserPeers(closerPeers(key, remote)).build());
        }
      case ADD_PROVIDER:
        for (Message.Peer p : request.getProviderPeersList()) {
          if (!p.getId().equals(ByteString.copyFrom(remote.bytes()))) {
            log.debug("ignoring provider record from {} for another peer", remote);
            continue;
          }
          List<Multiaddr> addresses = parseAddresses(p);
          host.peerStore().addAddresses(remote, addresses);
          providers.add(key, new Provider(remote, addresses));
        }
        return Optional.empty();
      case GET_VALUE:
        {
          Message.Builder reply =
              Message.newBuilder().setType(MessageType.GET_VALUE).setKey(request.getKey());
          byte[] value = records.get(request.getKey());
          if (value != null) {
            reply.setRecord(
                Record.newBuilder().setKey(request.getKey()).setValue(ByteString.copyFrom(value)));
          }
          return Optional.of(reply.addAllCloserPeers(closerPeers(key, remote)).build());
        }
      case PUT_VALUE:
        {
          Record record = request.getRecord();
          if (!request.hasRecord() || !record.getKey().equals(request.getKey())) {
            throw new ProtocolViolationException(
                "PUT_VALUE from " + remote + " whose record key differs from its key");
          }
          try {
            store(key, record.getValue().toByteArray());
          } catch (InvalidRecordException | UnknownNamespaceException e) {
            throw new ProtocolViolationException(
                "PUT_VALUE from " + remote + " refused: " + e.getMessage(), e);
          }
          return Optional.of(request);
        }
      default:
        throw new ProtocolViolationException(
            "unknown kad message type " + request.getTypeValue() + " from " + remote);
    }
  }

  private List<Message.Peer> closerPeers(byte[] key, PeerId requester) {
    List<Message.Peer> result = new ArrayList<>();
    for (PeerId peer : table.closest(KadKey.of(key), config.k() + 1)) {
      if (peer.equals(requester) || result.size() >= config.k()) {
        continue;
      }
      List<Multiaddr> addresses =
          host.peerStore().get(peer).map(PeerStore.PeerInfo::addresses).orElse(List.of());
      result.add(toWire(peer, addresses));
    }
    return result;
  }

  private Message.Peer toWire(PeerId peer, List<Multiaddr> addresses) {
    Message.Peer.Builder b = Message.Peer.newBuilder().setId(ByteString.copyFrom(peer.bytes()));
    addresses.forEach(a -> b.addAddrs(ByteString.copyFrom(a.bytes())));
    b.setConnection(
        host.connections(peer).isEmpty()
            ? Message.ConnectionType.NOT_CONNECTED
            : Message.ConnectionType.CONNECTED);
    return b.build();
  }

  private static List<Multiaddr> parseAddresses(Message.Peer peer) {
    List<Multiaddr> result = new ArrayList<>();
    for (ByteString bytes : peer.getAddrsList()) {
      try {
        result.add(Multiaddr.fromBytes(bytes.toByteArray()));
      } catch (RuntimeException e) {
        log.debug("skipping malformed address in kad peer record: {}", e.getMessage());
      }
    }
    return result;
  }

  private static Optional<PeerId> parsePeer(Message.Peer peer) {
    try {
      return Optional.of(PeerId.fromBytes(peer.getId().toByteArray()));
    } catch (RuntimeException e) {
      log.debug("skipping kad peer record with malformed id: {}", e.getMessage());
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- records

  /** A record key without a namespace, or of a namespace without a validator. */
  static final class UnknownNamespaceException extends RuntimeException {
    UnknownNamespaceException(String message) {
      super(message);
    }
  }

  private RecordValidator validatorFor(byte[] key) {
    if (key.length < 2 || key[0] != '/') {
      throw new UnknownNamespaceException("record key has no namespace");
    }
    int end = 1;
    while (end < key.length && key[end] != '/') {
      end++;
    }
    String namespace = new String(key, 1, end - 1, StandardCharsets.UTF_8);
    RecordValidator validator = validators.get(namespace);
    if (validator == null) {
      throw new UnknownNamespaceException("no validator for record namespace '" + namespace + "'");
    }
    return validator;
  }

  /** Validates and keeps {@code value} if it is better than the record held for the key. */
  private void store(byte[] key, byte[] value) {
    RecordValidator validator = validatorFor(key);
    validator.validate(key, value);
    ByteString k = ByteString.copyFrom(key);
    synchronized (records) {
      byte[] old = records.get(k);
      if (old != null && validator.select(key, List.of(old, value)) == 0) {
        return;
      }
      if (old == null && records.size() >= config.maxRecords()) {
        throw new InvalidRecordException("record store is full");
      }
      records.put(k, value.clone());
      if (persistentRecords != null) {
        persistentRecords.put(key, value);
      }
    }
  }

  // ---------------------------------------------------------------- client

  /** Connects to {@code address} (ending in /p2p/id) and adds the peer to the routing table. */
  public CompletableFuture<PeerId> addBootstrapPeer(Multiaddr address) {
    return host.dial(address)
        .thenApply(
            connection -> {
              addPeer(connection.remotePeer(), connection.remoteAddress());
              return connection.remotePeer();
            });
  }

  /** Looks up this host's own id, filling the routing table around it. */
  public CompletableFuture<List<PeerId>> bootstrap() {
    return findClosestPeers(host.peerId().bytes());
  }

  /** Checks that {@code peer} answers {@value #PROTOCOL} PING. */
  public CompletableFuture<Void> ping(PeerId peer) {
    return async(
        () -> {
          request(peer, Message.newBuilder().setType(MessageType.PING).build(), true);
          return null;
        });
  }

  /** The {@code k} peers closest to {@code key} that answered, closest first. */
  public CompletableFuture<List<PeerId>> findClosestPeers(byte[] key) {
    byte[] copy = key.clone();
    return async(() -> lookup(copy, MessageType.FIND_NODE, (peer, reply) -> {}, () -> false));
  }

  /** Announces this host as a provider of {@code cid} to the closest peers; the count reached. */
  public CompletableFuture<Integer> provide(Cid cid) {
    byte[] key = cid.multihash().bytes();
    return async(
        () -> {
          providers.add(key, new Provider(host.peerId(), host.listenAddresses()));
          Message request =
              Message.newBuilder()
                  .setType(MessageType.ADD_PROVIDER)
                  .setKey(ByteString.copyFrom(key))
                  .addProviderPeers(toWire(host.peerId(), host.listenAddresses()))
                  .build();
          return sendToClosest(key, request, false);
        });
  }

  /** Providers of {@code cid} known to this host or found on the closest peers. */
  public CompletableFuture<List<Provider>> findProviders(Cid cid) {
    return findProviders(cid, Integer.MAX_VALUE);
  }

  /**
   * Providers of {@code cid}, like {@link #findProviders(Cid)}, but the lookup ends as soon as
   * {@code enough} providers are known (here or from replies) rather than when the closest peers
   * have all answered: a caller that needs one provider gets it as soon as a reply names one.
   *
   * @param enough how many providers the caller needs; positive
   */
  public CompletableFuture<List<Provider>> findProviders(Cid cid, int enough) {
    if (enough <= 0) {
      throw new IllegalArgumentException("enough must be positive: " + enough);
    }
    byte[] key = cid.multihash().bytes();
    return async(
        () -> {
          Map<PeerId, Provider> found = new LinkedHashMap<>();
          providers.get(key).forEach(p -> found.put(p.peer(), p));
          if (found.size() >= enough) {
            return List.copyOf(found.values());
          }
          lookup(
              key,
              MessageType.GET_PROVIDERS,
              (from, reply) -> {
                for (Message.Peer p : limit(reply.getProviderPeersList())) {
                  parsePeer(p)
                      .ifPresent(
                          peer -> {
                            List<Multiaddr> addresses = parseAddresses(p);
                            host.peerStore().addAddresses(peer, addresses);
                            found.putIfAbsent(peer, new Provider(peer, addresses));
                          });
                }
              },
              () -> found.size() >= enough);
          return List.copyOf(found.values());
        });
  }

  /** Validates and stores a value record here and on the closest peers; the count reached. */
  public CompletableFuture<Integer> putValue(byte[] key, byte[] value) {
    byte[] k = key.clone();
    byte[] v = value.clone();
    return async(
        () -> {
          store(k, v);
          ByteString keyBytes = ByteString.copyFrom(k);
          Message request =
              Message.newBuilder()
                  .setType(MessageType.PUT_VALUE)
                  .setKey(keyBytes)
                  .setRecord(Record.newBuilder().setKey(keyBytes).setValue(ByteString.copyFrom(v)))
                  .build();
          return sendToClosest(k, request, true);
        });
  }

  /** The best valid record for {@code key} held here or by the peers a lookup reaches. */
  public CompletableFuture<Optional<byte[]>> getValue(byte[] key) {
    byte[] k = key.clone();
    return async(
        () -> {
          RecordValidator validator = validatorFor(k);
          List<byte[]> values = new ArrayList<>();
          byte[] local = records.get(ByteString.copyFrom(k));
          if (local != null) {
            values.add(local);
          }
          lookup(
              k,
              MessageType.GET_VALUE,
              (from, reply) -> {
                if (!reply.hasRecord() || !reply.getRecord().getKey().equals(reply.getKey())) {
                  return;
                }
                byte[] value = reply.getRecord().getValue().toByteArray();
                try {
                  validator.validate(k, value);
                  values.add(value);
                } catch (InvalidRecordException e) {
                  log.debug("invalid record from {}: {}", from, e.getMessage());
                }
              },
              () -> false);
          if (values.isEmpty()) {
            return Optional.<byte[]>empty();
          }
          return Optional.of(values.get(validator.select(k, values)).clone());
        });
  }

  private int sendToClosest(byte[] key, Message request, boolean expectReply) throws Exception {
    List<PeerId> closest = lookup(key, MessageType.FIND_NODE, (peer, reply) -> {}, () -> false);
    List<CompletableFuture<Boolean>> sends = new ArrayList<>();
    for (PeerId peer : closest) {
      sends.add(
          async(
              () -> {
                try {
                  request(peer, request, expectReply);
                  return true;
                } catch (Exception e) {
                  log.debug("{} to {} failed: {}", request.getType(), peer, e.toString());
                  return false;
                }
              }));
    }
    int reached = 0;
    for (CompletableFuture<Boolean> send : sends) {
      if (send.join()) {
        reached++;
      }
    }
    return reached;
  }

  private <T> List<T> limit(List<T> peers) {
    return peers.size() <= config.maxPeersPerReply()
        ? peers
        : peers.subList(0, config.maxPeersPerReply());
  }

  private enum State {
    WAITING,
    QUERYING,
    /** Queried, not answered within the lookup's patience; its request still runs. */
    SLOW,
    SUCCEEDED,
    FAILED
  }

  private record Reply(PeerId peer, Message message, Exception error) {}

  /**
   * The iterative lookup of the spec: queries the closest known peers, {@code alpha} at a time,
   * and stops once the {@code k} closest peers seen have all answered, or when the query budget
   * or the lookup deadline is spent, or as soon as {@code done} holds after a reply. A peer that
   * has not answered within {@link KadConfig#lookupPeerTimeout()} is set aside as slow: it frees
   * its request slot and, once {@code k} other peers closest to the key have answered, no longer
   * delays the end; a reply it still sends while the lookup runs is used like any other.
   */
  private List<PeerId> lookup(byte[] key, MessageType type, BiConsumer<PeerId, Message> onReply,
      BooleanSupplier done) throws InterruptedException {
    KadKey target = KadKey.of(key);
    Map<PeerId, KadKey> keys = new HashMap<>();
    Comparator<KadKey> byDistance = KadKey.byDistanceTo(target);
    TreeSet<PeerId> candidates =
        new TreeSet<>(
            (a, b) -> {
              int c = byDistance.compare(keys.get(a), keys.get(b));
              return c != 0 ? c : a.compareTo(b);
            });
    Map<PeerId, State> states = new HashMap<>();
    for (PeerId peer : table.closest(target, config.k())) {
      keys.put(peer, KadKey.of(peer));
      states.put(peer, State.WAITING);
      candidates.add(peer);
    }
    Message request =
        Message.newBuilder().setType(type).setKey(ByteString.copyFrom(key)).build();
    BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    long deadline = System.nanoTime() + config.lookupTimeout().toNanos();
    long patience = config.lookupPeerTimeout().toNanos();
    Map<PeerId, Long> started = new HashMap<>();
    int inFlight = 0;
    int slow = 0;
    int queried = 0;
    while (true) {
      List<PeerId> closest =
          candidates.stream()
              .filter(p -> states.get(p) != State.FAILED && states.get(p) != State.SLOW)
              .limit(config.k())
              .toList();
      if (closest.stream().allMatch(p -> states.get(p) == State.SUCCEEDED)
          && (slow == 0 || closest.size() >= config.k())) {
        break;
      }
      for (PeerId peer : closest) {
        if (inFlight >= config.alpha() || queried >= config.maxQueriesPerLookup()) {
          break;
        }
        if (states.get(peer) == State.WAITING) {
          states.put(peer, State.QUERYING);
          started.put(peer, System.nanoTime());
          inFlight++;
          queried++;
          Thread.ofVirtual()
              .name("mycel-kad-query")
              .start(
                  () -> {
                    try {
                      replies.add(new Reply(peer, request(peer, request, true), null));
                    } catch (Exception e) {
                      log.debug("kad query to {} failed: {}", peer, e.toString());
                      // Here rather than in the loop, so that a peer failing after the lookup
                      // ended leaves the routing table too.
                      table.remove(peer);
                      replies.add(new Reply(peer, null, e));
                    }
                  });
        }
      }
      if (inFlight == 0 && slow == 0) {
        log.debug("lookup of {} stopped after {} queries: budget spent", target, queried);
        break;
      }
      long wakeUp = deadline;
      for (long since : started.values()) {
        wakeUp = Math.min(wakeUp, since + patience);
      }
      Reply reply = replies.poll(wakeUp - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (reply == null) {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          log.debug("lookup of {} timed out after {} queries", target, queried);
          break;
        }
        for (var it = started.entrySet().iterator(); it.hasNext(); ) {
          var entry = it.next();
          if (now - entry.getValue() >= patience) {
            it.remove();
            states.put(entry.getKey(), State.SLOW);
            inFlight--;
            slow++;
          }
        }
        continue;
      }
      if (states.get(reply.peer) == State.SLOW) {
        slow--;
      } else {
        started.remove(reply.peer);
        inFlight--;
      }
      if (reply.error != null) {
        states.put(reply.peer, State.FAILED);
        continue;
      }
      states.put(reply.peer, State.SUCCEEDED);
      Multiaddr address = addressOf(reply.peer);
      if (address != null) {
        addPeer(reply.peer, address);
      }
      onReply.accept(reply.peer, reply.message);
      if (done.getAsBoolean()) {
        log.debug("lookup of {} answered after {} queries", target, queried);
        break;
      }
      for (Message.Peer wire : limit(reply.message.getCloserPeersList())) {
        Optional<PeerId> parsed = parsePeer(wire);
        if (parsed.isEmpty() || parsed.get().equals(host.peerId())) {
          continue;
        }
        PeerId peer = parsed.get();
        if (!states.containsKey(peer)) {
          host.peerStore().addAddresses(peer, parseAddresses(wire));
          keys.put(peer, KadKey.of(peer));
          states.put(peer, State.WAITING);
          candidates.add(peer);
        }
      }
    }
    return candidates.stream()
        .filter(p -> states.get(p) == State.SUCCEEDED)
        .limit(config.k())
        .toList();
  }

  /** Sends one request on a fresh stream and reads the reply, within the query timeout. */
  private Message request(PeerId peer, Message request, boolean expectReply) throws Exception {
    long timeout = config.queryTimeout().toNanos();
    Stream stream =
        host.newStream(peer, List.of(PROTOCOL)).get(timeout, TimeUnit.NANOSECONDS);
    AtomicBoolean finished = new AtomicBoolean();
    CompletableFuture.runAsync(
        () -> {
          if (!finished.get()) {
            stream.reset();
          }
        },
        CompletableFuture.delayedExecutor(timeout, TimeUnit.NANOSECONDS));
    try {
      codec.write(stream.output(), request);
      if (!expectReply) {
        stream.closeWrite();
        return null;
      }
      Message reply =
          codec
              .read(stream.input())
              .orElseThrow(
                  () ->
                      new ProtocolViolationException(
                          peer + " closed the kad stream without answering"));
      if (reply.getType() != request.getType()) {
        throw new ProtocolViolationException(
            peer + " answered " + request.getType() + " with " + reply.getType());
      }
      return reply;
    } finally {
      finished.set(true);
      stream.close();
    }
  }

  private static <T> CompletableFuture<T> async(ThrowingSupplier<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("mycel-kad")
        .start(
            () -> {
              try {
                future.complete(work.get());
              } catch (Throwable t) {
                future.completeExceptionally(t);
              }
            });
    return future;
  }

  @FunctionalInterface
  private interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
