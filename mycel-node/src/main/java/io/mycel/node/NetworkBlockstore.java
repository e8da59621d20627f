package io.mycel.node;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.BlockUnavailableException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.routing.kad.ProviderStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The node's block store, read through to the network: a block the store lacks is asked of the
 * connected peers over Bitswap, and when none has it, of the providers the DHT names for it.
 * Bitswap verifies each block and keeps it in the store, so what a gateway serves once it serves
 * from disk after. Writes go straight to the store.
 */
public final class NetworkBlockstore implements Blockstore {
  /** How long the connected peers get to deliver a block before the DHT is asked for providers. */
  static final Duration CONNECTED_PEERS_WAIT = Duration.ofSeconds(2);

  private final Blockstore local;
  private final Node node;
  private final Duration timeout;

  public NetworkBlockstore(Blockstore local, Node node, Duration timeout) {
    this.local = local;
    this.node = node;
    this.timeout = timeout;
  }

  @Override
  public Optional<byte[]> get(Cid cid) throws IOException {
    Optional<byte[]> here = local.get(cid);
    if (here.isPresent()) {
      return here;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!node.host().connections().isEmpty()) {
        long firstTry = Math.min(CONNECTED_PEERS_WAIT.toNanos(), remaining(deadline));
        try {
          return Optional.of(node.bitswap().get(cid).get(firstTry, TimeUnit.NANOSECONDS));
        } catch (ExecutionException | TimeoutException connectedPeersLackIt) {
          // ask the DHT next
        }
      }
      List<ProviderStore.Provider> providers = node.dht().findProviders(cid)
          .get(remaining(deadline), TimeUnit.NANOSECONDS).stream()
          .filter(p -> !p.peer().equals(node.peerId()))
          .toList();
      if (providers.isEmpty()) {
        throw new BlockUnavailableException(cid, "no peer in the network provides " + cid);
      }
      for (ProviderStore.Provider provider : providers) {
        PeerId peer = provider.peer();
        node.host().peerStore().addAddresses(peer, provider.addresses());
        try {
          node.host().dial(peer).get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException unreachable) {
          // the others may answer
        }
      }
      return Optional.of(node.bitswap().get(cid).get(remaining(deadline), TimeUnit.NANOSECONDS));
    } catch (ExecutionException | TimeoutException e) {
      throw new BlockUnavailableException(cid, "no peer delivered " + cid + " within "
          + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BlockNotFoundException(cid, "interrupted while fetching " + cid);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  @Override
  public boolean has(Cid cid) throws IOException {
    return local.has(cid);
  }

  @Override
  public Optional<Integer> size(Cid cid) throws IOException {
    return local.size(cid);
  }

  @Override
  public void put(Block block) throws IOException {
    local.put(block);
  }

  @Override
  public boolean delete(Multihash hash) throws IOException {
    return local.delete(hash);
  }

  @Override
  public Stream<Multihash> keys() throws IOException {
    return local.keys();
  }

  @Override
  public BlockstoreStats stats() throws IOException {
    return local.stats();
  }

  /** The local store stays open: it belongs to the repository. */
  @Override
  public void close() {}
}
