package io.mycel.content.bitswap;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of Bitswap, without I/O of its own: per-peer wantlists, per-peer
 * {@link Ledger}s, and the answers to wants from a {@link Blockstore} (<a
 * href="https://github.com/ipfs/specs/blob/main/src/bitswap-protocol.md#bitswap-120-interaction-pattern">spec</a>).
 *
 * <p>Wants are keyed by multihash, like the block store, and answered under the CID the peer
 * asked for. A want-block is answered with the block, or dont-have when the peer asked for it;
 * a want-have with have, or dont-have. Served wants leave the wantlist; a want answered with
 * dont-have stays, so that a block arriving later ({@link #blockAdded}) goes to the peers that
 * want it. Answers are queued per peer and handed out one message at a time
 * ({@link #nextResponse}) so blocks are read from the store only as fast as they are sent.
 *
 * <p>Thread-safe: each peer's state has its own lock.
 */
public final class BitswapEngine {

  /** Block bytes that one response message carries before another is started. */
  public static final int DEFAULT_TARGET_MESSAGE_SIZE = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(BitswapEngine.class);

  private final Blockstore blockstore;
  private final BitswapLimits limits;
  private final int targetMessageSize;
  private final Map<PeerId, PeerState> peers = new ConcurrentHashMap<>();
  private final Map<Multihash, Set<PeerId>> wantedBy = new ConcurrentHashMap<>();
  private final LongAdder blocksSent = new LongAdder();
  private final LongAdder blocksReceived = new LongAdder();
  private final LongAdder blockBytesSent = new LongAdder();
  private final LongAdder blockBytesReceived = new LongAdder();
  private final LongAdder messagesSent = new LongAdder();
  private final LongAdder messagesReceived = new LongAdder();

  public BitswapEngine(Blockstore blockstore) {
    this(blockstore, BitswapLimits.DEFAULT, DEFAULT_TARGET_MESSAGE_SIZE);
  }

  /**
   * @param targetMessageSize block bytes after which a response message is closed (a single
   *     block larger than this still goes in a message of its own)
   */
  public BitswapEngine(Blockstore blockstore, BitswapLimits limits, int targetMessageSize) {
    if (targetMessageSize < 1) {
      throw new IllegalArgumentException("targetMessageSize must be positive");
    }
    this.blockstore = blockstore;
    this.limits = limits;
    this.targetMessageSize = targetMessageSize;
  }

  /**
   * Counts a message read from {@code peer} and the blocks it carried in the peer's ledger.
   */
  public void recordReceived(PeerId peer, BitswapMessage message) {
    PeerState state = state(peer);
    synchronized (state) {
      state.messagesReceived++;
      state.blocksReceived += message.blocks().size();
      state.bytesReceived += message.blockBytes();
    }
    messagesReceived.increment();
    blocksReceived.add(message.blocks().size());
    blockBytesReceived.add(message.blockBytes());
  }

  /** Counts a message written to {@code peer} and the blocks it carried. */
  public void recordSent(PeerId peer, BitswapMessage message) {
    PeerState state = state(peer);
    synchronized (state) {
      state.messagesSent++;
      state.blocksSent += message.blocks().size();
      state.bytesSent += message.blockBytes();
    }
    messagesSent.increment();
    blocksSent.add(message.blocks().size());
    blockBytesSent.add(message.blockBytes());
  }

  /** Every peer's ledger added up, without duplicates counted (see {@link Bitswap#stats()}). */
  public BitswapStats totals() {
    return new BitswapStats(blocksSent.sum(), blocksReceived.sum(), blockBytesSent.sum(),
        blockBytesReceived.sum(), messagesSent.sum(), messagesReceived.sum(), 0);
  }

  /**
   * Applies the wantlist part of a message from {@code peer}: a full wantlist replaces the old
   * one, cancels remove wants, new wants are queued for an answer. Wants past
   * {@link BitswapLimits#maxWantlistSizePerPeer()} are ignored.
   *
   * @return whether the peer now has answers due
   */
  public boolean receiveWantlist(PeerId peer, BitswapMessage message) {
    PeerState state = state(peer);
    synchronized (state) {
      if (message.fullWantlist()) {
        for (Multihash hash : new ArrayList<>(state.wants.keySet())) {
          removeWant(peer, state, hash);
        }
        state.tasks.clear();
        state.queued.clear();
      }
      int ignored = 0;
      for (WantlistEntry entry : message.wantlist()) {
        Multihash hash = entry.cid().multihash();
        if (entry.cancel()) {
          removeWant(peer, state, hash);
          continue;
        }
        WantlistEntry existing = state.wants.get(hash);
        if (existing == null) {
          if (state.wants.size() >= limits.maxWantlistSizePerPeer()) {
            ignored++;
            continue;
          }
          wantedBy.computeIfAbsent(hash, h -> ConcurrentHashMap.newKeySet()).add(peer);
          state.wants.put(hash, entry);
        } else if (!(existing.wantType() == WantType.BLOCK && entry.wantType() == WantType.HAVE)) {
          state.wants.put(hash, entry);
        }
        if (state.queued.add(hash)) {
          state.tasks.addLast(hash);
        }
      }
      if (ignored > 0) {
        state.wantsIgnored += ignored;
        log.debug("ignored {} wants of {}: its wantlist holds the maximum of {}",
            ignored, peer, limits.maxWantlistSizePerPeer());
      }
      return !state.tasks.isEmpty();
    }
  }

  /** Whether answers to {@code peer} are queued. */
  public boolean hasWork(PeerId peer) {
    PeerState state = peers.get(peer);
    if (state == null) {
      return false;
    }
    synchronized (state) {
      return !state.tasks.isEmpty();
    }
  }

  /**
   * The next answer to {@code peer}: blocks up to the target message size (at least one),
   * haves and dont-haves up to the per-message entry limit; empty when nothing is due.
   * Blocks are read from the store here.
   */
  public Optional<BitswapMessage> nextResponse(PeerId peer) {
    PeerState state = peers.get(peer);
    if (state == null) {
      return Optional.empty();
    }
    List<Block> blocks = new ArrayList<>();
    List<BlockPresence> presences = new ArrayList<>();
    long bytes = 0;
    synchronized (state) {
      while (!state.tasks.isEmpty() && presences.size() < limits.maxEntriesPerMessage()) {
        Multihash hash = state.tasks.peekFirst();
        WantlistEntry want = state.wants.get(hash);
        if (want == null) {
          state.tasks.removeFirst();
          state.queued.remove(hash);
          continue;
        }
        Cid cid = want.cid();
        if (want.wantType() == WantType.BLOCK) {
          if (!blocks.isEmpty() && bytes + storedSize(cid) > targetMessageSize) {
            // Leave it for the next message without reading it twice.
            break;
          }
          byte[] data = read(cid);
          if (data != null) {
            if (!blocks.isEmpty() && bytes + data.length > targetMessageSize) {
              break;
            }
            blocks.add(new Block(cid, data));
            bytes += data.length;
            removeWant(peer, state, hash);
          } else if (want.sendDontHave()) {
            presences.add(BlockPresence.dontHave(cid));
          }
        } else if (has(cid)) {
          presences.add(BlockPresence.have(cid));
          removeWant(peer, state, hash);
        } else if (want.sendDontHave()) {
          presences.add(BlockPresence.dontHave(cid));
        }
        state.tasks.removeFirst();
        state.queued.remove(hash);
      }
    }
    if (blocks.isEmpty() && presences.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(BitswapMessage.response(blocks, presences));
  }

  /**
   * A block became available (received or added locally): queues it for every peer whose
   * wantlist holds it.
   *
   * @return the peers that now have answers due
   */
  public Set<PeerId> blockAdded(Cid cid) {
    Multihash hash = cid.multihash();
    Set<PeerId> wanting = wantedBy.get(hash);
    if (wanting == null) {
      return Set.of();
    }
    Set<PeerId> due = new HashSet<>();
    for (PeerId peer : List.copyOf(wanting)) {
      PeerState state = peers.get(peer);
      if (state == null) {
        continue;
      }
      synchronized (state) {
        if (state.wants.containsKey(hash)) {
          if (state.queued.add(hash)) {
            state.tasks.addLast(hash);
          }
          due.add(peer);
        }
      }
    }
    return due;
  }

  /** Forgets the peer's wantlist and queued answers; its ledger stays. */
  public void peerDisconnected(PeerId peer) {
    PeerState state = peers.get(peer);
    if (state == null) {
      return;
    }
    synchronized (state) {
      for (Multihash hash : new ArrayList<>(state.wants.keySet())) {
        removeWant(peer, state, hash);
      }
      state.tasks.clear();
      state.queued.clear();
    }
  }

  /** The peer's ledger; all zeros for a peer never seen. */
  public Ledger ledger(PeerId peer) {
    PeerState state = peers.get(peer);
    if (state == null) {
      return Ledger.empty(peer);
    }
    synchronized (state) {
      return new Ledger(peer, state.bytesSent, state.bytesReceived, state.blocksSent,
          state.blocksReceived, state.messagesSent, state.messagesReceived);
    }
  }

  /** Every peer's ledger. */
  public List<Ledger> ledgers() {
    return peers.keySet().stream().map(this::ledger).toList();
  }

  /** The peer's current wantlist, in the order the wants arrived. */
  public List<WantlistEntry> wantlist(PeerId peer) {
    PeerState state = peers.get(peer);
    if (state == null) {
      return List.of();
    }
    synchronized (state) {
      return List.copyOf(state.wants.values());
    }
  }

  /** Wants of {@code peer} ignored because its wantlist was full. */
  public long wantsIgnored(PeerId peer) {
    PeerState state = peers.get(peer);
    if (state == null) {
      return 0;
    }
    synchronized (state) {
      return state.wantsIgnored;
    }
  }

  /** The peers whose wantlist holds {@code cid}. */
  public Set<PeerId> peersWanting(Cid cid) {
    Set<PeerId> wanting = wantedBy.get(cid.multihash());
    return wanting == null ? Set.of() : Set.copyOf(wanting);
  }

  private void removeWant(PeerId peer, PeerState state, Multihash hash) {
    if (state.wants.remove(hash) != null) {
      wantedBy.computeIfPresent(hash, (h, set) -> {
        set.remove(peer);
        return set.isEmpty() ? null : set;
      });
    }
  }

  private byte[] read(Cid cid) {
    try {
      Optional<byte[]> data = blockstore.get(cid);
      if (data.isPresent() && data.get().length > limits.maxBlockSize()) {
        log.warn("not serving block {}: its {} bytes exceed the {}-byte Bitswap block limit",
            cid, data.get().length, limits.maxBlockSize());
        return null;
      }
      return data.orElse(null);
    } catch (IOException e) {
      log.warn("reading block {} from the block store failed: {}", cid, e.toString());
      return null;
    }
  }

  /** The stored size of a block, 0 when absent or unknown (then it is read and checked). */
  private long storedSize(Cid cid) {
    try {
      return blockstore.size(cid).orElse(0);
    } catch (IOException e) {
      return 0;
    }
  }

  private boolean has(Cid cid) {
    try {
      return blockstore.has(cid);
    } catch (IOException e) {
      log.warn("looking up block {} in the block store failed: {}", cid, e.toString());
      return false;
    }
  }

  private PeerState state(PeerId peer) {
    return peers.computeIfAbsent(peer, p -> new PeerState());
  }

  private static final class PeerState {
    final Map<Multihash, WantlistEntry> wants = new LinkedHashMap<>();
    final ArrayDeque<Multihash> tasks = new ArrayDeque<>();
    final Set<Multihash> queued = new HashSet<>();
    long bytesSent;
    long bytesReceived;
    long blocksSent;
    long blocksReceived;
    long messagesSent;
    long messagesReceived;
    long wantsIgnored;
  }
}
