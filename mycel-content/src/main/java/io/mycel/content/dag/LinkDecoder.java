package io.mycel.content.dag;

import io.mycel.core.cid.Cid;
import java.util.List;

/**
 * The links of a block, by its codec: what DAG walks (pinning, garbage collection, CAR export,
 * Bitswap fetches) follow. A block of a codec the decoder does not know has no links it can
 * follow; malformed bytes of a known codec are an {@link IllegalArgumentException}.
 */
@FunctionalInterface
public interface LinkDecoder {
  List<Cid> links(Cid cid, byte[] data);
}
