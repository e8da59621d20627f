package io.mycel.testkit.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Internet in Linux network namespaces: a "public" network 203.0.113.0/24 (TEST-NET-3)
 * on a bridge, with a public host namespace at 203.0.113.1, and home networks, each a host
 * namespace at 10.0.N.2 behind its own NAT router namespace (WAN 203.0.113.(N+1), LAN 10.0.N.1)
 * that masquerades outbound traffic and drops unsolicited inbound connections, as home routers
 * do. Linux masquerading keeps the source port when it is free, so a mapping does not depend on
 * the destination (endpoint-independent mapping), while conntrack only lets in replies to known
 * flows.
 *
 * <p>Needs root, {@code ip} and {@code nft}: {@link #unavailableReason()} says why not. Every
 * name carries this JVM's pid and a counter, so concurrent runs do not collide; {@link #close()}
 * (also run by a shutdown hook) deletes every namespace it created, which removes their links
 * too, and namespaces left by dead processes are removed on the next {@link #create}.
 */
public final class Topology implements AutoCloseable {

  /** The public host's address. */
  public static final String PUBLIC_IP = "203.0.113.1";

  private static final Logger log = LoggerFactory.getLogger(Topology.class);
  private static final String PREFIX = "mycel-";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final long COMMAND_TIMEOUT_SECONDS = 20;

  /** One home network: the host namespace and its router. */
  public record Home(String hostNamespace, String routerNamespace, String hostIp, String routerWanIp) {}

  private final String id;
  private final String switchNs;
  private final String publicNs;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Home> homes = new ArrayList<>();
  private final Thread cleanup = new Thread(this::deleteAll, "mycel-netns-cleanup");
  private boolean closed;

  private Topology(String id) {
    this.id = id;
    this.switchNs = PREFIX + id + "-sw";
    this.publicNs = PREFIX + id + "-pub";
  }

  /**
   * Why namespaces cannot be used here (not root, a tool missing, namespace creation refused),
   * or empty when they can.
   */
  public static Optional<String> unavailableReason() {
    if (!"Linux".equals(System.getProperty("os.name"))) {
      return Optional.of("network namespaces need Linux");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("network namespaces need root (running as " + System.getProperty("user.name") + ")");
    }
    for (String tool : List.of("ip", "nft")) {
      if (!onPath(tool)) {
        return Optional.of("'" + tool + "' is not installed (apt-get install iproute2 nftables)");
      }
    }
    String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
    try {
      run("ip", "netns", "add", probe);
      run("ip", "netns", "del", probe);
    } catch (IOException e) {
      return Optional.of("cannot create a network namespace: " + e.getMessage());
    }
    return Optional.empty();
  }

  /** Builds the public network and {@code homeCount} NATed home networks. */
  public static Topology create(int homeCount) throws IOException {
    if (homeCount < 0 || homeCount > 50) {
      throw new IllegalArgumentException("homeCount must be within 0..50: " + homeCount);
    }
    removeStale();
    Topology topology = new Topology(ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
    Runtime.getRuntime().addShutdownHook(topology.cleanup);
    try {
      topology.build(homeCount);
    } catch (IOException | RuntimeException e) {
      topology.close();
      throw e;
    }
    return topology;
  }

  /** The namespace of the public host, at {@link #PUBLIC_IP}. */
  public String publicNamespace() {
    return publicNs;
  }

  public List<Home> homes() {
    return List.copyOf(homes);
  }

  /** Runs a command inside {@code namespace} and returns its output; fails on a non-zero exit. */
  public String exec(String namespace, String... command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  /** A process builder for {@code command} inside {@code namespace}. */
  public ProcessBuilder processIn(String namespace, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(command);
    return new ProcessBuilder(full);
  }

  private void build(int homeCount) throws IOException {
    addNamespace(switchNs);
    ns(switchNs, "ip", "link", "add", "br0", "type", "bridge");
    ns(switchNs, "ip", "link", "set", "br0", "up");
    addNamespace(publicNs);
    wire(publicNs, "eth0", PUBLIC_IP + "/24");
    for (int n = 1; n <= homeCount; n++) {
      String router = PREFIX + id + "-r" + n;
      String host = PREFIX + id + "-h" + n;
      String wanIp = "203.0.113." + (n + 1);
      String lanNet = "10.0." + n;
      addNamespace(router);
      addNamespace(host);
      wire(router, "wan", wanIp + "/24");
      link(router, "lan", host, "eth0");
      ns(router, "ip", "addr", "add", lanNet + ".1/24", "dev", "lan");
      ns(router, "ip", "link", "set", "lan", "up");
      ns(host, "ip", "addr", "add", lanNet + ".2/24", "dev", "eth0");
      ns(host, "ip", "link", "set", "eth0", "up");
      ns(host, "ip", "route", "add", "default", "via", lanNet + ".1");
      ns(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
      nft(router, String.join("\n",
          "table ip nat {",
          "  chain postrouting {",
          "    type nat hook postrouting priority srcnat; policy accept;",
          "    oifname \"wan\" masquerade",
          "  }",
          "}",
          "table inet filter {",
          "  chain input {",
          "    type filter hook input priority filter; policy accept;",
          "    iifname \"wan\" ct state established,related accept",
          "    iifname \"wan\" drop",
          "  }",
          "  chain forward {",
          "    type filter hook forward priority filter; policy accept;",
          "    iifname \"wan\" ct state established,related accept",
          "    iifname \"wan\" drop",
          "  }",
          "}"));
      homes.add(new Home(host, router, lanNet + ".2", wanIp));
    }
    log.info("network namespaces ready: public {} at {}, {} homes", publicNs, PUBLIC_IP, homeCount);
  }

  private void addNamespace(String name) throws IOException {
    run("ip", "netns", "add", name);
    namespaces.add(name);
    ns(name, "ip", "link", "set", "lo", "up");
  }

  /** Connects {@code namespace} to the public bridge through {@code ifname} with {@code cidr}. */
  private void wire(String namespace, String ifname, String cidr) throws IOException {
    String port = "p" + namespaces.size();
    link(namespace, ifname, switchNs, port);
    ns(switchNs, "ip", "link", "set", port, "master", "br0");
    ns(switchNs, "ip", "link", "set", port, "up");
    ns(namespace, "ip", "addr", "add", cidr, "dev", ifname);
    ns(namespace, "ip", "link", "set", ifname, "up");
  }

  /** A veth pair between two namespaces, created in the first and named in each. */
  private void link(String nsA, String ifA, String nsB, String ifB) throws IOException {
    ns(nsA, "ip", "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB);
  }

  private void ns(String namespace, String... command) throws IOException {
    exec(namespace, command);
  }

  private void nft(String namespace, String ruleset) throws IOException {
    Process process = new ProcessBuilder("ip", "netns", "exec", namespace, "nft", "-f", "-")
        .redirectErrorStream(true).start();
    process.getOutputStream().write(ruleset.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    finish(process, "nft -f - in " + namespace);
  }

  /** Deletes every namespace of this topology; their veths go with them. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    deleteAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs, and deleting twice is harmless.
    }
  }

  private void deleteAll() {
    for (String name : namespaces.reversed()) {
      try {
        run("ip", "netns", "del", name);
      } catch (IOException e) {
        log.debug("namespace {} already gone: {}", name, e.getMessage());
      }
    }
    namespaces.clear();
  }

  /** Removes namespaces that a run killed before its cleanup left behind. */
  private static void removeStale() {
    String list;
    try {
      list = run("ip", "netns", "list");
    } catch (IOException e) {
      return;
    }
    for (String line : list.split("\n")) {
      String name = line.split(" ")[0];
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String[] parts = name.substring(PREFIX.length()).split("-");
      try {
        long pid = Long.parseLong(parts[0]);
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        run("ip", "netns", "del", name);
        log.info("removed namespace {} left by process {}", name, pid);
      } catch (NumberFormatException | IOException e) {
        log.debug("leaving namespace {}: {}", name, e.getMessage());
      }
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
        return true;
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin")) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    return finish(process, String.join(" ", command));
  }

  private static String finish(Process process, String what) throws IOException {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(what + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(what + " interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(what + " exited with " + process.exitValue() + ": " + output.strip());
    }
    return output;
  }
}
