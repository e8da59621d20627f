package io.mycel.content.bitswap;

import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** What a {@link BitswapSession} needs from its node; {@link Bitswap} implements it. */
interface SessionNetwork {

  /** Queues wantlist entries for {@code peer}; never blocks. */
  void sendWants(PeerId peer, List<WantlistEntry> entries);

  /** Whether {@code peer} is known to speak a Bitswap version without want-have. */
  boolean isLegacy(PeerId peer);

  /** The block from the local store, if present. */
  Optional<byte[]> localBlock(Cid cid) throws IOException;

  /** The session waits for blocks with this multihash. */
  void interested(BitswapSession session, Multihash hash);

  /** The session no longer waits for blocks with this multihash. */
  void uninterested(BitswapSession session, Multihash hash);

  /** The session closed. */
  void sessionClosed(BitswapSession session);
}
