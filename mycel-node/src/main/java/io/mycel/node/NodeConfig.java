package io.mycel.node;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.host.HostConfig;
import io.mycel.net.relay.RelayLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The node's config file ({@code config.json} in the node home). {@code mycel init} writes every
 * default out; an unknown key or a bad value refuses start-up with a message naming the key.
 */
public record NodeConfig(Swarm swarm, Limits limits, Storage storage, Gateway gateway,
    List<String> bootstrap, Discovery discovery, Api api, Nat nat, Relay relay) {
  public static final int DEFAULT_SWARM_PORT = 4101;

  /** A config with the default {@link Discovery} and {@link Api}. */
  public NodeConfig(Swarm swarm, Limits limits, Storage storage, Gateway gateway,
      List<String> bootstrap) {
    this(swarm, limits, storage, gateway, bootstrap, null, null, null, null);
  }

  /** Where the node listens for peers. */
  public record Swarm(List<String> listen) {
    public Swarm {
      if (listen == null) {
        throw new IllegalArgumentException("swarm.listen: must be a list of multiaddrs");
      }
      for (String address : listen) {
        try {
          Multiaddr.parse(address);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("swarm.listen: invalid multiaddr \"" + address + "\": "
              + e.getMessage());
        }
      }
      listen = List.copyOf(listen);
    }
  }

  /** Connection manager and resource limits. */
  public record Limits(
      int maxConnections,
      int maxConnectionsPerPeer,
      int maxStreamsPerConnection,
      long handshakeTimeoutMs,
      long negotiationTimeoutMs,
      long idleStreamTimeoutMs) {
    public Limits {
      positive(maxConnections, "limits.maxConnections");
      positive(maxConnectionsPerPeer, "limits.maxConnectionsPerPeer");
      positive(maxStreamsPerConnection, "limits.maxStreamsPerConnection");
      positive(handshakeTimeoutMs, "limits.handshakeTimeoutMs");
      positive(negotiationTimeoutMs, "limits.negotiationTimeoutMs");
      positive(idleStreamTimeoutMs, "limits.idleStreamTimeoutMs");
    }

    private static void positive(long value, String key) {
      if (value <= 0) {
        throw new IllegalArgumentException(key + ": must be a positive number, was " + value);
      }
    }
  }

  /**
   * The block store's limits.
   *
   * @param quotaBytes most bytes of blocks to keep; 0 for no limit but the disk
   * @param verifyOnRead hash every block read from disk; a corrupt block is removed, not served
   */
  public record Storage(long quotaBytes, boolean verifyOnRead) {
    public static final long DEFAULT_QUOTA_BYTES = 10L * 1024 * 1024 * 1024;

    public Storage {
      if (quotaBytes < 0) {
        throw new IllegalArgumentException("storage.quotaBytes: must be 0 (no limit) or more, was "
            + quotaBytes);
      }
    }

    public static Storage defaults() {
      return new Storage(DEFAULT_QUOTA_BYTES, true);
    }
  }

  /**
   * The HTTP gateway of the daemon.
   *
   * @param listen a TCP multiaddr, e.g. {@code /ip4/127.0.0.1/tcp/8180}; empty for no gateway
   * @param cacheQuotaBytes most bytes of unpinned blocks (what the gateway fetched) kept as a
   *     cache; the least recently used are evicted beyond it, pinned blocks never; 0 for no
   *     limit but {@code storage.quotaBytes}
   */
  public record Gateway(String listen, long cacheQuotaBytes) {
    public static final int DEFAULT_PORT = 8180;
    public static final long DEFAULT_CACHE_QUOTA_BYTES = 1024L * 1024 * 1024;

    /** A gateway on {@code listen} with the default cache quota. */
    public Gateway(String listen) {
      this(listen, DEFAULT_CACHE_QUOTA_BYTES);
    }

    public Gateway {
      if (listen == null) {
        throw new IllegalArgumentException("gateway.listen: must be a multiaddr, or \"\" for none");
      }
      if (!listen.isEmpty()) {
        try {
          Multiaddr.parse(listen).toSocketAddress();
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("gateway.listen: invalid TCP multiaddr \"" + listen + "\": "
              + e.getMessage());
        }
      }
      if (cacheQuotaBytes < 0) {
        throw new IllegalArgumentException("gateway.cacheQuotaBytes: must be 0 (no limit) or more,"
            + " was " + cacheQuotaBytes);
      }
    }

    public static Gateway defaults() {
      return new Gateway("/ip4/127.0.0.1/tcp/" + DEFAULT_PORT);
    }
  }

  /**
   * How the daemon finds peers besides its bootstrap peers.
   *
   * @param mdns announce this node and find others on the local network by multicast DNS
   * @param mdnsIntervalMs how often the local network is asked for peers
   */
  public record Discovery(boolean mdns, long mdnsIntervalMs) {
    public static final long DEFAULT_MDNS_INTERVAL_MS = 10_000;

    public Discovery {
      if (mdnsIntervalMs <= 0) {
        throw new IllegalArgumentException("discovery.mdnsIntervalMs: must be a positive number, was "
            + mdnsIntervalMs);
      }
    }

    public static Discovery defaults() {
      return new Discovery(true, DEFAULT_MDNS_INTERVAL_MS);
    }
  }

  /**
   * The HTTP API of the daemon (what the CLI talks to while the daemon runs).
   *
   * @param listen a TCP multiaddr, e.g. {@code /ip4/127.0.0.1/tcp/7070}; empty for no API
   * @param token the bearer token the API requires ({@code Authorization: Bearer TOKEN}); empty
   *     for none, which is allowed only while {@code listen} is a loopback address
   */
  public record Api(String listen, String token) {
    public static final int DEFAULT_PORT = 7070;

    public Api {
      if (listen == null) {
        throw new IllegalArgumentException("api.listen: must be a multiaddr, or \"\" for none");
      }
      if (token == null) {
        throw new IllegalArgumentException("api.token: must be a string, \"\" for none");
      }
      java.net.InetSocketAddress at = null;
      if (!listen.isEmpty()) {
        try {
          Multiaddr address = Multiaddr.parse(listen);
          if (!address.toString().matches("/ip[46]/[^/]+/tcp/\\d+")) {
            throw new IllegalArgumentException("it must be /ip4/ADDRESS/tcp/PORT or "
                + "/ip6/ADDRESS/tcp/PORT");
          }
          at = address.toSocketAddress();
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("api.listen: invalid TCP multiaddr \"" + listen + "\": "
              + e.getMessage());
        }
      }
      if (!token.isEmpty() && (token.length() < 16 || !token.matches("[\\x21-\\x7e]+"))) {
        throw new IllegalArgumentException("api.token: must be at least 16 printable characters "
            + "without spaces (e.g. from `openssl rand -hex 32`)");
      }
      if (at != null && token.isEmpty()
          && (at.getAddress() == null || !at.getAddress().isLoopbackAddress())) {
        throw new IllegalArgumentException("api.token: required when api.listen (\"" + listen
            + "\") is not a loopback address; set a token or listen on /ip4/127.0.0.1");
      }
    }

    public static Api defaults() {
      return new Api("/ip4/127.0.0.1/tcp/" + DEFAULT_PORT, "");
    }
  }

  /**
   * Reachability behind NATs.
   *
   * @param autonat answer AutoNAT dial-back requests and probe this node's own reachability
   * @param autonatPrivateAddresses let the AutoNAT server dial back private and loopback
   *     addresses (for networks that are private as a whole, such as a devnet)
   * @param autoRelay when AutoNAT finds this node private, reserve on relays (the static relays
   *     of the relay section first, then known peers offering the hop protocol) and advertise the
   *     circuit addresses
   * @param holePunching upgrade relayed connections to direct ones with DCUtR
   */
  public record Nat(boolean autonat, boolean autonatPrivateAddresses, boolean autoRelay,
      boolean holePunching) {
    public static Nat defaults() {
      return new Nat(true, false, true, true);
    }
  }

  /**
   * Circuit Relay v2 (see docs/relay.md): whether this node relays for others and within which
   * limits, and the relays it reserves a slot on so that others reach it through them.
   *
   * @param enabled relay for peers that reserve on this node (the hop side)
   * @param circuitDurationSeconds 0 for no cap
   * @param circuitBytes bytes per direction per circuit; 0 for no cap
   * @param bandwidthSharing relay bulk traffic: no byte or duration cap, each circuit paced to
   *     {@code rateBytesPerSecond} and all together to {@code totalRateBytesPerSecond} instead
   * @param staticRelays relays ({@code /ip4/…/tcp/…/p2p/<id>}) to keep a reservation on
   */
  public record Relay(
      boolean enabled,
      long reservationTtlSeconds,
      int maxReservations,
      int maxReservationsPerIp,
      int maxCircuits,
      int maxCircuitsPerPeer,
      long circuitDurationSeconds,
      long circuitBytes,
      boolean bandwidthSharing,
      long rateBytesPerSecond,
      long totalRateBytesPerSecond,
      List<String> staticRelays) {
    public Relay {
      if (reservationTtlSeconds < 1) {
        throw new IllegalArgumentException("relay.reservationTtlSeconds: must be at least 1, was "
            + reservationTtlSeconds);
      }
      notNegative(maxReservations, "relay.maxReservations");
      notNegative(maxReservationsPerIp, "relay.maxReservationsPerIp");
      notNegative(maxCircuits, "relay.maxCircuits");
      notNegative(maxCircuitsPerPeer, "relay.maxCircuitsPerPeer");
      notNegative(circuitDurationSeconds, "relay.circuitDurationSeconds");
      notNegative(circuitBytes, "relay.circuitBytes");
      notNegative(rateBytesPerSecond, "relay.rateBytesPerSecond");
      notNegative(totalRateBytesPerSecond, "relay.totalRateBytesPerSecond");
      if (bandwidthSharing && rateBytesPerSecond == 0 && totalRateBytesPerSecond == 0) {
        throw new IllegalArgumentException("relay.rateBytesPerSecond: bandwidth sharing needs a rate"
            + " (bytes per second per circuit, or relay.totalRateBytesPerSecond for all together)");
      }
      staticRelays = staticRelays == null ? List.of() : List.copyOf(staticRelays);
      for (String address : staticRelays) {
        try {
          if (Multiaddr.parse(address).peerId().isEmpty()) {
            throw new IllegalArgumentException("it must end in /p2p/<relay id>");
          }
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("relay.staticRelays: invalid address \"" + address
              + "\": " + e.getMessage());
        }
      }
    }

    private static void notNegative(long value, String key) {
      if (value < 0) {
        throw new IllegalArgumentException(key + ": must be 0 or more, was " + value);
      }
    }

    /** Not relaying, no static relays; the limits a relay would use are go-libp2p's. */
    public static Relay defaults() {
      RelayLimits d = RelayLimits.defaults();
      return new Relay(false, d.reservationTtl().toSeconds(), d.maxReservations(),
          d.maxReservationsPerIp(), d.maxCircuits(), d.maxCircuitsPerPeer(),
          d.circuitDuration().toSeconds(), d.circuitBytes(), false, RelayLimits.DEFAULT_SHARING_RATE,
          0, List.of());
    }

    public RelayLimits toLimits() {
      return new RelayLimits(Duration.ofSeconds(reservationTtlSeconds), maxReservations,
          maxReservationsPerIp, maxCircuits, maxCircuitsPerPeer,
          Duration.ofSeconds(circuitDurationSeconds), circuitBytes, bandwidthSharing,
          rateBytesPerSecond, totalRateBytesPerSecond);
    }
  }

  public NodeConfig {
    if (discovery == null) {
      discovery = Discovery.defaults();
    }
    if (api == null) {
      api = Api.defaults();
    }
    if (nat == null) {
      nat = Nat.defaults();
    }
    if (relay == null) {
      relay = Relay.defaults();
    }
    if (gateway == null) {
      gateway = Gateway.defaults();
    }
    if (storage == null) {
      storage = Storage.defaults();
    }
    if (swarm == null) {
      throw new IllegalArgumentException("swarm: missing");
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits: missing");
    }
    bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
    for (String address : bootstrap) {
      try {
        if (Multiaddr.parse(address).peerId().isEmpty()) {
          throw new IllegalArgumentException("it must end in /p2p/<peer id>");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bootstrap: invalid address \"" + address + "\": "
            + e.getMessage());
      }
    }
  }

  public static NodeConfig defaults() {
    return new NodeConfig(
        new Swarm(List.of("/ip4/0.0.0.0/tcp/" + DEFAULT_SWARM_PORT)),
        new Limits(
            HostConfig.DEFAULT_MAX_CONNECTIONS,
            HostConfig.DEFAULT_MAX_CONNECTIONS_PER_PEER,
            HostConfig.DEFAULT_MAX_STREAMS_PER_CONNECTION,
            HostConfig.DEFAULT_HANDSHAKE_TIMEOUT.toMillis(),
            HostConfig.DEFAULT_NEGOTIATION_TIMEOUT.toMillis(),
            HostConfig.DEFAULT_IDLE_STREAM_TIMEOUT.toMillis()),
        Storage.defaults(),
        Gateway.defaults(),
        List.of(),
        Discovery.defaults(),
        Api.defaults(),
        Nat.defaults(),
        Relay.defaults());
  }

  public NodeConfig withListen(List<String> listen) {
    return new NodeConfig(new Swarm(listen), limits, storage, gateway, bootstrap, discovery, api,
        nat, relay);
  }

  public NodeConfig withGateway(String listen) {
    return new NodeConfig(swarm, limits, storage, new Gateway(listen, gateway.cacheQuotaBytes()),
        bootstrap, discovery, api, nat, relay);
  }

  public NodeConfig withGatewayCacheQuota(long cacheQuotaBytes) {
    return new NodeConfig(swarm, limits, storage, new Gateway(gateway.listen(), cacheQuotaBytes),
        bootstrap, discovery, api, nat, relay);
  }

  public NodeConfig withBootstrap(List<String> peers) {
    return new NodeConfig(swarm, limits, storage, gateway, peers, discovery, api, nat, relay);
  }

  public NodeConfig withDiscovery(Discovery discovery) {
    return new NodeConfig(swarm, limits, storage, gateway, bootstrap, discovery, api, nat, relay);
  }

  /** This config with the API on {@code listen} ({@code ""} for none), keeping the token. */
  public NodeConfig withApi(String listen) {
    return new NodeConfig(swarm, limits, storage, gateway, bootstrap, discovery,
        new Api(listen, api.token()), nat, relay);
  }

  public NodeConfig withNat(Nat settings) {
    return new NodeConfig(swarm, limits, storage, gateway, bootstrap, discovery, api, settings,
        relay);
  }

  public NodeConfig withApi(Api settings) {
    return new NodeConfig(swarm, limits, storage, gateway, bootstrap, discovery, settings, nat,
        relay);
  }

  public NodeConfig withRelay(Relay relay) {
    return new NodeConfig(swarm, limits, storage, gateway, bootstrap, discovery, api, nat, relay);
  }

  public HostConfig toHostConfig(String agentVersion) {
    return new HostConfig(
        swarm.listen().stream().map(Multiaddr::parse).collect(Collectors.toList()),
        agentVersion,
        limits.maxConnections(),
        limits.maxConnectionsPerPeer(),
        limits.maxStreamsPerConnection(),
        Duration.ofMillis(limits.handshakeTimeoutMs()),
        Duration.ofMillis(limits.negotiationTimeoutMs()),
        Duration.ofMillis(limits.idleStreamTimeoutMs()));
  }

  private static ObjectMapper mapper() {
    return new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** Puts {@code defaults} at {@code key}, or the keys of it that the section lacks. */
  private static void fillDefaults(ObjectNode config, String key, JsonNode defaults) {
    JsonNode section = config.get(key);
    if (section == null) {
      config.set(key, defaults);
    } else if (section instanceof ObjectNode present) {
      defaults.fieldNames().forEachRemaining(field -> {
        if (!present.has(field)) {
          present.set(field, defaults.get(field));
        }
      });
    }
  }

  /**
   * Reads a config file with this process's environment overrides applied (see
   * {@link #ENV_PREFIX}); the exception message names the offending key or variable.
   */
  public static NodeConfig read(Path file) throws IOException {
    return read(file, System.getenv());
  }

  /**
   * Environment variables that override a key of the config file for one run: {@code MYCEL_}
   * followed by the key's path in upper snake case, e.g. {@code MYCEL_API_LISTEN} for
   * {@code api.listen} or {@code MYCEL_LIMITS_MAX_CONNECTIONS} for
   * {@code limits.maxConnections}; a list takes comma-separated values
   * ({@code MYCEL_SWARM_LISTEN=/ip4/0.0.0.0/tcp/4101,/ip6/::/tcp/4102}), an empty value an empty
   * list. Any other {@code MYCEL_} variable but those in {@link #ENV_NOT_CONFIG} is refused.
   */
  public static final String ENV_PREFIX = "MYCEL_";

  /** {@code MYCEL_} variables that are not config overrides. */
  public static final java.util.Set<String> ENV_NOT_CONFIG = java.util.Set.of("MYCEL_HOME",
      "MYCEL_JAVA_OPTS");

  /** The defaults with {@code env}'s overrides applied, for a home without a config file. */
  public static NodeConfig defaults(Map<String, String> env) throws IOException {
    ObjectMapper mapper = mapper();
    ObjectNode tree = mapper.valueToTree(defaults());
    Path source = Path.of("(defaults)");
    applyEnvironment(tree, env, source);
    return bind(mapper, tree, source);
  }

  /** As {@link #read(Path)}, with the overrides of {@code env} instead of the process's. */
  public static NodeConfig read(Path file, Map<String, String> env) throws IOException {
    try {
      ObjectMapper mapper = mapper();
      JsonNode tree = mapper.readTree(file.toFile());
      checkKeys(file, tree, NodeConfig.class, "");
      // Sections added after a home was created take their defaults.
      if (tree instanceof ObjectNode object) {
        if (!object.has("storage")) {
          object.set("storage", mapper.valueToTree(Storage.defaults()));
        }
        if (!object.has("gateway")) {
          object.set("gateway", mapper.valueToTree(Gateway.defaults()));
        } else if (object.get("gateway") instanceof ObjectNode gatewayNode
            && !gatewayNode.has("cacheQuotaBytes")) {
          gatewayNode.put("cacheQuotaBytes", Gateway.DEFAULT_CACHE_QUOTA_BYTES);
        }
        if (!object.has("bootstrap")) {
          object.putArray("bootstrap");
        }
        // Sections of this version take their defaults, whole or key by key, so that a home
        // initialised before a key existed still starts; the older sections stay strict.
        fillDefaults(object, "discovery", mapper.valueToTree(Discovery.defaults()));
        fillDefaults(object, "api", mapper.valueToTree(Api.defaults()));
        fillDefaults(object, "nat", mapper.valueToTree(Nat.defaults()));
        fillDefaults(object, "relay", mapper.valueToTree(Relay.defaults()));
        applyEnvironment(object, env, file);
      }
      return bind(mapper, tree, file);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidConfigException(file, "not valid JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * Sets each key that a {@code MYCEL_} variable of {@code env} names; refuses a variable that
   * names no key or holds a value of the wrong kind.
   */
  private static void applyEnvironment(ObjectNode tree, Map<String, String> env, Path file)
      throws InvalidConfigException {
    Map<String, String> keys = new HashMap<>();
    collectEnvNames(tree, "", keys);
    for (var entry : new java.util.TreeMap<>(env).entrySet()) {
      String name = entry.getKey();
      if (!name.startsWith(ENV_PREFIX) || ENV_NOT_CONFIG.contains(name)) {
        continue;
      }
      String key = keys.get(name);
      if (key == null) {
        throw new InvalidConfigException(file, "environment variable " + name
            + " names no config key (they are MYCEL_ and the key in upper snake case, e.g. "
            + "MYCEL_API_LISTEN for api.listen)");
      }
      String[] path = key.split("\\.");
      ObjectNode parent = tree;
      for (int i = 0; i < path.length - 1; i++) {
        parent = (ObjectNode) parent.get(path[i]);
      }
      String leaf = path[path.length - 1];
      JsonNode current = parent.get(leaf);
      String value = entry.getValue().trim();
      try {
        if (current.isArray()) {
          var list = parent.putArray(leaf);
          for (String item : value.split(",")) {
            if (!item.isBlank()) {
              list.add(item.trim());
            }
          }
        } else if (current.isBoolean()) {
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("must be true or false");
          }
          parent.put(leaf, Boolean.parseBoolean(value));
        } else if (current.isNumber()) {
          parent.put(leaf, Long.parseLong(value));
        } else {
          parent.put(leaf, value);
        }
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(file, "environment variable " + name + " (" + key
            + "): bad value \"" + value + "\": "
            + (e instanceof NumberFormatException ? "must be a whole number" : e.getMessage()));
      }
    }
  }

  private static void collectEnvNames(JsonNode node, String prefix, Map<String, String> names) {
    node.fieldNames().forEachRemaining(field -> {
      String key = prefix.isEmpty() ? field : prefix + "." + field;
      JsonNode child = node.get(field);
      if (child.isObject()) {
        collectEnvNames(child, key, names);
      } else {
        names.put(ENV_PREFIX + key.replace(".", "_").replaceAll("([a-z0-9])([A-Z])", "$1_$2")
            .toUpperCase(java.util.Locale.ROOT), key);
      }
    });
  }

  private static NodeConfig bind(ObjectMapper mapper, JsonNode tree, Path file)
      throws IOException {
    try {
      return mapper.treeToValue(tree, NodeConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidConfigException(file, "unknown key \"" + path(e) + "\"");
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException bad) {
        throw new InvalidConfigException(file, bad.getMessage());
      }
      if (e.getOriginalMessage().startsWith("Missing creator property")) {
        throw new InvalidConfigException(file, "missing key \"" + path(e) + "\"");
      }
      throw new InvalidConfigException(file, "bad value at \"" + path(e) + "\": " + e.getOriginalMessage());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidConfigException(file, "not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** Names the first key that the config records do not have, before any value is bound. */
  private static void checkKeys(Path file, JsonNode node, Class<?> type, String prefix)
      throws InvalidConfigException {
    if (!type.isRecord() || !node.isObject()) {
      return;
    }
    Map<String, Class<?>> known = new HashMap<>();
    for (RecordComponent component : type.getRecordComponents()) {
      known.put(component.getName(), component.getType());
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = prefix + field.getKey();
      Class<?> fieldType = known.get(field.getKey());
      if (fieldType == null) {
        throw new InvalidConfigException(file, "unknown key \"" + key + "\"");
      }
      checkKeys(file, field.getValue(), fieldType, key + ".");
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  /** Writes the config atomically, every key spelled out. */
  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, mapper().writeValueAsString(this) + "\n");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A config file that cannot be used; the message says which key is wrong. */
  public static final class InvalidConfigException extends IOException {
    public InvalidConfigException(Path file, String problem) {
      super(file + ": " + problem);
    }
  }
}
