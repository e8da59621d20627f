package io.mycel.node;

import io.mycel.content.bitswap.Bitswap;
import io.mycel.content.bitswap.DagFetchResult;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.host.HostConfig;
import io.mycel.net.host.NettyHost;
import io.mycel.routing.kad.ProviderStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches a DAG into a repository from peers given by address, over Bitswap, when no daemon
 * runs: a short-lived host dials them, and every block is verified before it is stored.
 */
public final class Fetcher {
  private Fetcher() {}

  /**
   * Fetches every block under {@code root} that the repository lacks from {@code peers}.
   *
   * @throws IOException naming the peers that could not be reached, or the block no peer had
   */
  public static DagFetchResult fetch(Repo repo, PrivateKey key, Cid root, List<Multiaddr> peers,
      Duration timeout) throws IOException {
    HostConfig config = HostConfig.defaults(List.of(), Version.agent());
    try (NettyHost host = new NettyHost(key, config).start();
        Bitswap bitswap = new Bitswap(host, repo.blocks()).start();
        GarbageCollector.AddSession session = repo.gc().beginAdd()) {
      List<PeerId> reached = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (Multiaddr peer : peers) {
        try {
          reached.add(host.dial(peer).get(timeout.toMillis(), TimeUnit.MILLISECONDS).remotePeer());
        } catch (ExecutionException | TimeoutException e) {
          failures.add(peer + " (" + (e.getCause() != null ? e.getCause().getMessage() : "timed out") + ")");
        }
      }
      if (reached.isEmpty()) {
        throw new IOException("could not reach any peer: " + String.join(", ", failures));
      }
      return bitswap.fetchDag(root, new DagPbLinkDecoder(), reached)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IOException("fetching " + root + " took longer than " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + root);
    }
  }

  /**
   * Finds providers of {@code root} through the node's DHT, connects to them, and fetches every
   * block the node's store lacks over Bitswap, inside an add session of {@code gc}.
   *
   * @throws IOException when no provider is found, none can be reached, or a block is missing
   */
  public static DagFetchResult fetchFromProviders(Node node, GarbageCollector gc, Cid root,
      Duration timeout) throws IOException {
    try (GarbageCollector.AddSession session = gc.beginAdd()) {
      List<ProviderStore.Provider> providers = node.dht().findProviders(root)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<PeerId> reached = new ArrayList<>();
      for (ProviderStore.Provider provider : providers) {
        if (provider.peer().equals(node.peerId())) {
          continue;
        }
        node.host().peerStore().addAddresses(provider.peer(), provider.addresses());
        try {
          node.host().dial(provider.peer()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          reached.add(provider.peer());
        } catch (ExecutionException | TimeoutException e) {
          // try the next provider
        }
      }
      if (reached.isEmpty()) {
        throw new IOException(providers.isEmpty()
            ? "no provider of " + root + " found in the DHT"
            : "none of the " + providers.size() + " providers of " + root + " could be reached");
      }
      return node.bitswap().fetchDag(root, new DagPbLinkDecoder(), reached)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IOException("fetching " + root + " took longer than " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + root);
    }
  }
}
