package io.mycel.content.unixfs;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.cid.Cid;
import java.io.IOException;
import java.util.Optional;

/**
 * Where the exporter reads blocks: a {@link Blockstore}, or a fetcher that asks the network.
 * Implementations must return only bytes that hash to the CID (a block store's {@code get}
 * does).
 */
@FunctionalInterface
public interface BlockGetter {
  Optional<byte[]> get(Cid cid) throws IOException;
}
