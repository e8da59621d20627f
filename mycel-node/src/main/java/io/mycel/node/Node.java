package io.mycel.node;

import io.mycel.content.bitswap.Bitswap;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Host;
import io.mycel.net.host.NettyHost;
import io.mycel.net.identify.IdentifyService;
import io.mycel.net.ping.PingService;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Mycel node: the libp2p host with identify, ping and Bitswap, configured from its home. */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final NettyHost host;
  private final IdentifyService identify;
  private final PingService ping;
  private final Blockstore blocks;
  private final Bitswap bitswap;

  private Node(NettyHost host, Blockstore blocks) {
    this.host = host;
    this.identify = new IdentifyService(host);
    this.ping = new PingService(host);
    this.blocks = blocks;
    this.bitswap = new Bitswap(host, blocks);
  }

  /** Starts a node that serves no stored content (its block store is in memory). */
  public static Node start(PrivateKey key, NodeConfig config) {
    return start(key, config, new MemoryBlockstore());
  }

  /**
   * Starts a node with {@code key} and {@code config} that serves {@code blocks} over Bitswap;
   * binds its listen addresses. The caller keeps ownership of {@code blocks}.
   */
  public static Node start(PrivateKey key, NodeConfig config, Blockstore blocks) {
    NettyHost host = new NettyHost(key, config.toHostConfig(Version.agent()));
    Node node = new Node(host, blocks);
    node.identify.start();
    node.ping.start();
    node.bitswap.start();
    host.registry().onChange(node.identify::pushAll);
    host.start();
    node.connectBootstrap(config.bootstrap());
    return node;
  }

  private void connectBootstrap(List<String> bootstrap) {
    for (String address : bootstrap) {
      host.dial(Multiaddr.parse(address)).whenComplete((c, e) -> {
        if (e != null) {
          LOG.warn("bootstrap peer {} unreachable: {}", address, e.getMessage());
        }
      });
    }
  }

  public Host host() {
    return host;
  }

  public PeerId peerId() {
    return host.peerId();
  }

  public IdentifyService identify() {
    return identify;
  }

  public PingService ping() {
    return ping;
  }

  public Blockstore blocks() {
    return blocks;
  }

  public Bitswap bitswap() {
    return bitswap;
  }

  /** Listen addresses, each with the {@code /p2p/<peer id>} suffix others dial. */
  public List<Multiaddr> dialableAddresses() {
    return host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId())).toList();
  }

  @Override
  public void close() {
    bitswap.close();
    host.close();
  }
}
