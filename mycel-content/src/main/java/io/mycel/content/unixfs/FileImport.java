package io.mycel.content.unixfs;

import io.mycel.content.dagpb.PBLink;
import io.mycel.content.unixfs.NodeBuilder.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One file's import: fixed-size chunks, leaves hashed in parallel (a bounded window of chunks in
 * flight, so memory stays at a few chunks whatever the file size), blocks stored in file order,
 * and the balanced layout built as leaves arrive.
 *
 * <p>The balanced layout is the reference importer's: leaves are grouped {@code maxLinks} at a
 * time into parent nodes, those parents likewise, until one node remains. A file of one chunk is
 * that chunk's leaf itself. A final group of one still gets its own parent above the first
 * level.
 */
final class FileImport {
  private final NodeBuilder builder;
  private final ImportProgress progress;
  private final int maxLinks;
  private final List<List<Node>> levels = new ArrayList<>();
  private final List<Long> levelCounts = new ArrayList<>();
  private long leaves;

  private FileImport(NodeBuilder builder, ImportProgress progress) {
    this.builder = builder;
    this.progress = progress;
    this.maxLinks = builder.options().maxLinksPerNode();
  }

  /**
   * Imports the stream's bytes; {@code bytesBefore} is what earlier files of the same import
   * contributed to the progress count.
   */
  static Node run(InputStream in, NodeBuilder builder, ImportProgress progress, long bytesBefore)
      throws IOException {
    return new FileImport(builder, progress).importStream(in, bytesBefore);
  }

  private Node importStream(InputStream in, long bytesBefore) throws IOException {
    int chunkSize = builder.options().chunkSize();
    int parallelism = builder.options().hashParallelism();
    int window = parallelism * 2;
    ArrayDeque<Future<Node>> inFlight = new ArrayDeque<>();
    ExecutorService pool = null;
    long processed = bytesBefore;
    try {
      boolean more = true;
      while (more) {
        byte[] chunk = new byte[chunkSize];
        int n = in.readNBytes(chunk, 0, chunkSize);
        if (n < chunkSize) {
          more = false;
          if (n == 0 && leaves + inFlight.size() > 0) {
            break;
          }
          chunk = Arrays.copyOf(chunk, n);
        }
        if (pool == null && (parallelism == 1 || !more)) {
          // nothing is in flight: hash inline (one-chunk files, or no parallelism)
          Node leaf = builder.leaf(chunk);
          processed += chunk.length;
          emit(leaf, processed);
          continue;
        }
        if (pool == null) {
          pool = Executors.newVirtualThreadPerTaskExecutor();
        }
        byte[] toHash = chunk;
        inFlight.add(pool.submit(() -> builder.leaf(toHash)));
        if (inFlight.size() >= window) {
          Node leaf = await(inFlight.poll());
          processed += leaf.contentSize();
          emit(leaf, processed);
        }
      }
      while (!inFlight.isEmpty()) {
        Node leaf = await(inFlight.poll());
        processed += leaf.contentSize();
        emit(leaf, processed);
      }
    } finally {
      if (pool != null) {
        for (Future<Node> f : inFlight) {
          f.cancel(true);
        }
        pool.shutdownNow();
      }
    }
    return finish();
  }

  private static Node await(Future<Node> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("import interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException("hashing a chunk failed", e.getCause());
    }
  }

  private void emit(Node leaf, long processed) throws IOException {
    builder.put(leaf);
    leaves++;
    progress.bytesProcessed(processed);
    add(withoutBlock(leaf), 0);
  }

  private static Node withoutBlock(Node node) {
    return new Node(node.cid(), null, node.dagSize(), node.contentSize(), node.type());
  }

  private void add(Node node, int level) throws IOException {
    while (levels.size() <= level) {
      levels.add(new ArrayList<>());
      levelCounts.add(0L);
    }
    List<Node> pending = levels.get(level);
    pending.add(node);
    levelCounts.set(level, levelCounts.get(level) + 1);
    if (pending.size() == maxLinks) {
      Node parent = reduce(pending);
      pending.clear();
      add(parent, level + 1);
    }
  }

  private Node finish() throws IOException {
    if (leaves == 1) {
      return levels.get(0).get(0);
    }
    for (int level = 0; level < levels.size(); level++) {
      List<Node> pending = levels.get(level);
      if (level > 0 && levelCounts.get(level) == 1) {
        return pending.get(0);
      }
      if (!pending.isEmpty()) {
        Node parent = reduce(new ArrayList<>(pending));
        pending.clear();
        add(parent, level + 1);
      }
    }
    throw new IllegalStateException("balanced layout ended without a root");
  }

  /** A file node over {@code children}, skipping those without bytes. */
  private Node reduce(List<Node> children) throws IOException {
    List<PBLink> links = new ArrayList<>(children.size());
    long[] blockSizes = new long[children.size()];
    int n = 0;
    long contentSize = 0;
    for (Node child : children) {
      if (child.contentSize() == 0) {
        continue;
      }
      links.add(PBLink.of(child.cid(), "", child.dagSize()));
      blockSizes[n++] = child.contentSize();
      contentSize += child.contentSize();
    }
    UnixfsData data = UnixfsData.file(null, Arrays.copyOf(blockSizes, n));
    return withoutBlock(builder.store(links, data, contentSize));
  }
}
