package io.mycel.content.unixfs;

import io.mycel.core.cid.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The bytes {@code [start, end)} of a UnixFS file, read lazily: a depth-first walk that uses each
 * node's block sizes to skip children wholly outside the range without loading them.
 */
final class FileStream extends InputStream {
  private final UnixfsExporter exporter;
  private final ExportLimits limits;
  private final ArrayDeque<Frame> stack = new ArrayDeque<>();
  private final long end;
  private long position;
  private byte[] segment = new byte[0];
  private int segmentPos;
  private int segmentEnd;
  private boolean closed;

  /** A node being walked, covering file bytes from {@code start}. */
  private static final class Frame {
    final UnixfsNode node;
    final long start;
    boolean inlineDone;
    int nextChild;
    long nextChildStart;

    Frame(UnixfsNode node, long start) {
      this.node = node;
      this.start = start;
    }
  }

  FileStream(UnixfsExporter exporter, ExportLimits limits, UnixfsNode root, long start, long end) {
    this.exporter = exporter;
    this.limits = limits;
    this.position = start;
    this.end = end;
    if (start < end) {
      stack.push(new Frame(root, 0));
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    if (segmentPos == segmentEnd && !nextSegment()) {
      return -1;
    }
    int n = Math.min(len, segmentEnd - segmentPos);
    System.arraycopy(segment, segmentPos, b, off, n);
    segmentPos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    long inSegment = Math.min(n, segmentEnd - segmentPos);
    segmentPos += (int) inSegment;
    long rest = Math.min(n - inSegment, end - position);
    // skipping beyond the current segment: advance the position, children before it are skipped
    position += rest;
    return inSegment + rest;
  }

  @Override
  public int available() {
    return segmentEnd - segmentPos;
  }

  @Override
  public void close() {
    closed = true;
    stack.clear();
    segment = new byte[0];
    segmentPos = segmentEnd = 0;
  }

  /** Finds the next bytes of the range; false at its end. */
  private boolean nextSegment() throws IOException {
    while (!stack.isEmpty() && position < end) {
      Frame frame = stack.peek();
      UnixfsNode node = frame.node;
      if (!frame.inlineDone) {
        frame.inlineDone = true;
        byte[] inline = node.inlineBytes();
        frame.nextChildStart = frame.start + inline.length;
        if (position < frame.nextChildStart && inline.length > 0) {
          segment = inline;
          segmentPos = (int) (position - frame.start);
          segmentEnd = (int) (Math.min(end, frame.nextChildStart) - frame.start);
          position += segmentEnd - segmentPos;
          return true;
        }
        continue;
      }
      long[] blockSizes = node.data() == null ? new long[0] : node.data().blockSizes();
      if (frame.nextChild < node.links().size() && frame.nextChildStart < end) {
        int i = frame.nextChild++;
        long childStart = frame.nextChildStart;
        long childSize = blockSizes[i];
        frame.nextChildStart += childSize;
        if (childStart + childSize <= position) {
          continue; // wholly before the range: not loaded
        }
        if (stack.size() >= limits.maxDepth()) {
          throw new UnixfsFormatException("file DAG under " + stack.peekLast().node.cid()
              + " is deeper than " + limits.maxDepth() + " levels (a link cycle?)");
        }
        Cid childCid = node.links().get(i).hash();
        UnixfsNode child = exporter.load(childCid);
        long actual = child.fileSize(limits);
        if (actual != childSize) {
          throw new UnixfsFormatException("file node " + node.cid() + " declares " + childSize
              + " bytes under link " + i + " but " + childCid + " holds " + actual);
        }
        stack.push(new Frame(child, childStart));
        continue;
      }
      stack.pop();
    }
    return false;
  }
}
