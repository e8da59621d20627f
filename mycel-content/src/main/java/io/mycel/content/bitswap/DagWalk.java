package io.mycel.content.bitswap;

import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One {@link BitswapSession#fetchDag} walk: asks the session for each block as soon as a parent
 * naming it has arrived, so every known block of the DAG is wanted at once (the session paces
 * the asking), and finishes when no block is outstanding.
 */
final class DagWalk {
  private final BitswapSession session;
  private final LinkDecoder decoder;
  private final Executor executor;
  private final LongSupplier nanoTime;
  private final Set<Multihash> seen = ConcurrentHashMap.newKeySet();
  private final Set<CompletableFuture<byte[]>> outstanding = ConcurrentHashMap.newKeySet();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong blocks = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong fetched = new AtomicLong();
  private final CompletableFuture<DagFetchResult> result = new CompletableFuture<>();
  private Cid root;
  private long started;

  DagWalk(BitswapSession session, LinkDecoder decoder, Executor executor, LongSupplier nanoTime) {
    this.session = session;
    this.decoder = decoder;
    this.executor = executor;
    this.nanoTime = nanoTime;
  }

  CompletableFuture<DagFetchResult> start(Cid root) {
    this.root = root;
    this.started = nanoTime.getAsLong();
    visit(root);
    return result;
  }

  private void visit(Cid cid) {
    if (result.isDone() || !seen.add(cid.multihash())) {
      return;
    }
    pending.incrementAndGet();
    CompletableFuture<byte[]> block = session.get(cid);
    boolean local = block.isDone() && !block.isCompletedExceptionally();
    if (!local) {
      outstanding.add(block);
    }
    block.whenCompleteAsync((data, error) -> arrived(cid, block, local, data, error), executor);
  }

  private void arrived(
      Cid cid, CompletableFuture<byte[]> block, boolean local, byte[] data, Throwable error) {
    outstanding.remove(block);
    if (error != null) {
      fail(BitswapSession.unwrap(error));
      return;
    }
    if (result.isDone()) {
      return;
    }
    List<Cid> links;
    try {
      links = decoder.links(cid, data);
    } catch (RuntimeException e) {
      fail(new IllegalArgumentException(
          "block " + cid + " of the DAG under " + root + " does not decode: " + e.getMessage(), e));
      return;
    }
    blocks.incrementAndGet();
    bytes.addAndGet(data.length);
    if (!local) {
      fetched.incrementAndGet();
    }
    for (Cid link : links) {
      visit(link);
    }
    if (pending.decrementAndGet() == 0) {
      result.complete(new DagFetchResult(root, blocks.get(), bytes.get(), fetched.get(),
          Duration.ofNanos(nanoTime.getAsLong() - started)));
    }
  }

  private void fail(Throwable error) {
    if (result.completeExceptionally(error)) {
      for (CompletableFuture<byte[]> block : List.copyOf(outstanding)) {
        block.cancel(false);
      }
    }
  }
}
