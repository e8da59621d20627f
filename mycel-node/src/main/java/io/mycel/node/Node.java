package io.mycel.node;

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

/** A running Mycel node: the libp2p host with identify and ping, configured from its home. */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final NettyHost host;
  private final IdentifyService identify;
  private final PingService ping;

  private Node(NettyHost host) {
    this.host = host;
    this.identify = new IdentifyService(host);
    this.ping = new PingService(host);
  }

  /** Starts a node with {@code key} and {@code config}; binds its listen addresses. */
  public static Node start(PrivateKey key, NodeConfig config) {
    NettyHost host = new NettyHost(key, config.toHostConfig(Version.agent()));
    Node node = new Node(host);
    node.identify.start();
    node.ping.start();
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

  /** Listen addresses, each with the {@code /p2p/<peer id>} suffix others dial. */
  public List<Multiaddr> dialableAddresses() {
    return host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId())).toList();
  }

  @Override
  public void close() {
    host.close();
  }
}
