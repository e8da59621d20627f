package io.mycel.net.host;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a host's connections carried since it started: the bytes of every TCP connection (with
 * their handshakes, Noise and Yamux framing), and per protocol the payload bytes read and written
 * on its streams and the streams opened. Counting is a {@link LongAdder} increment on the path that
 * already moves the bytes, so it costs next to nothing under contention.
 *
 * <p>Protocols are those negotiated on a stream: registered ones inbound, the ones this node asked
 * for outbound, so the number of entries stays small.
 */
public final class Traffic {
  private final LongAdder connectionBytesIn = new LongAdder();
  private final LongAdder connectionBytesOut = new LongAdder();
  private final LongAdder connectionsOpened = new LongAdder();
  private final Map<String, ProtocolCounters> protocols = new ConcurrentHashMap<>();

  /** Bytes of one protocol's streams and their count, since the host started. */
  public record ProtocolTotals(long bytesIn, long bytesOut, long streamsOpened, long streamsOpen) {}

  /** Bytes of every connection, framing included, and connections opened, since the host started. */
  public record ConnectionTotals(long bytesIn, long bytesOut, long connectionsOpened) {}

  /** The live counters of one protocol. */
  static final class ProtocolCounters {
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder streamsOpened = new LongAdder();
    final LongAdder streamsOpen = new LongAdder();

    ProtocolTotals totals() {
      return new ProtocolTotals(bytesIn.sum(), bytesOut.sum(), streamsOpened.sum(), streamsOpen.sum());
    }
  }

  ProtocolCounters protocol(String protocol) {
    return protocols.computeIfAbsent(protocol, p -> new ProtocolCounters());
  }

  void connectionRead(long bytes) {
    connectionBytesIn.add(bytes);
  }

  void connectionWritten(long bytes) {
    connectionBytesOut.add(bytes);
  }

  void connectionOpened() {
    connectionsOpened.increment();
  }

  /** Every TCP connection's bytes so far. */
  public ConnectionTotals connections() {
    return new ConnectionTotals(connectionBytesIn.sum(), connectionBytesOut.sum(),
        connectionsOpened.sum());
  }

  /** Per negotiated protocol, sorted by protocol id. */
  public Map<String, ProtocolTotals> byProtocol() {
    Map<String, ProtocolTotals> result = new TreeMap<>();
    protocols.forEach((protocol, counters) -> result.put(protocol, counters.totals()));
    return result;
  }

  /** One protocol's totals; zeros for a protocol never negotiated. */
  public ProtocolTotals protocolTotals(String protocol) {
    ProtocolCounters counters = protocols.get(protocol);
    return counters == null ? new ProtocolTotals(0, 0, 0, 0) : counters.totals();
  }
}
