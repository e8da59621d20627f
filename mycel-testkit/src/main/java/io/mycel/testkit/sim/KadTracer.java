package io.mycel.testkit.sim;

import com.google.protobuf.ByteString;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Stream;
import io.mycel.routing.kad.KadCodec;
import io.mycel.routing.kad.KadConfig;
import io.mycel.routing.kad.KadDht;
import io.mycel.routing.kad.pb.KadProtos.Message;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Records the Kademlia replies that reach the nodes being watched, in arrival order, so that a
 * lookup's path can be reconstructed from outside the unmodified {@link KadDht}: which peer
 * answered, when, and with which closer or provider peers. Watch one lookup per node at a time.
 */
public final class KadTracer implements SimNetwork.Tap {

  /** One reply reaching a watched node. */
  public record Reply(long arrivalNanos, PeerId from, Message message) {}

  private final KadCodec codec = new KadCodec(KadConfig.DEFAULT_MAX_MESSAGE_SIZE);
  private final Map<PeerId, List<Reply>> watched = new ConcurrentHashMap<>();
  private final AtomicLong unparsed = new AtomicLong();

  /** Starts recording the replies that reach {@code origin}. */
  public void watch(PeerId origin) {
    watched.put(origin, new ArrayList<>());
  }

  /** Stops recording for {@code origin}; the replies recorded, in arrival order. */
  public List<Reply> stop(PeerId origin) {
    List<Reply> replies = watched.remove(origin);
    if (replies == null) {
      return List.of();
    }
    synchronized (replies) {
      return List.copyOf(replies);
    }
  }

  /** Chunks that were not exactly one Kademlia message (expected: none). */
  public long unparsed() {
    return unparsed.get();
  }

  @Override
  public void delivered(Stream to, byte[] chunk) {
    if (!to.isInitiator() || !KadDht.PROTOCOL.equals(to.protocol())) {
      return;
    }
    List<Reply> replies = watched.get(to.connection().localPeer());
    if (replies == null) {
      return;
    }
    Optional<Message> message;
    try {
      ByteArrayInputStream in = new ByteArrayInputStream(chunk);
      message = codec.read(in);
      if (in.available() != 0) {
        message = Optional.empty();
      }
    } catch (IOException e) {
      message = Optional.empty();
    }
    if (message.isEmpty()) {
      unparsed.incrementAndGet();
      return;
    }
    synchronized (replies) {
      replies.add(new Reply(System.nanoTime(), to.connection().remotePeer(), message.get()));
    }
  }

  /**
   * The hops of a lookup: the depth of the first peer whose reply was an answer, where the
   * peers the lookup started from (its own routing table) have depth 1 and a peer first named
   * in a reply from a peer of depth {@code d} has depth {@code d + 1}. Empty when no reply was
   * an answer.
   *
   * @param seeds the peers the lookup started from
   * @param replies the replies in arrival order
   * @param isAnswer which replies answer the lookup
   */
  public static OptionalInt hops(
      List<PeerId> seeds, List<Reply> replies, Predicate<Reply> isAnswer) {
    Map<ByteString, Integer> depth = new HashMap<>();
    for (PeerId seed : seeds) {
      depth.put(ByteString.copyFrom(seed.bytes()), 1);
    }
    for (Reply reply : replies) {
      int d = depth.getOrDefault(ByteString.copyFrom(reply.from().bytes()), 1);
      if (isAnswer.test(reply)) {
        return OptionalInt.of(d);
      }
      for (Message.Peer peer : reply.message().getCloserPeersList()) {
        depth.putIfAbsent(peer.getId(), d + 1);
      }
    }
    return OptionalInt.empty();
  }

  /** Index of the first reply that is an answer, or -1. */
  public static int firstAnswer(List<Reply> replies, Predicate<Reply> isAnswer) {
    for (int i = 0; i < replies.size(); i++) {
      if (isAnswer.test(replies.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
