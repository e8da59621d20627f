package io.mycel.content.blockstore;

import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Blocks for tests: raw blocks, and linked nodes of a tiny test codec whose bytes are a payload
 * line followed by one child CID per line, with a {@link #DECODER} that reads them back.
 */
public final class TestBlocks {
  /** A codec number from the private-use range of the multicodec table. */
  public static final long TEST_CODEC = 0x300001;

  /** Links of test-codec nodes; every other codec has none. */
  public static final LinkDecoder DECODER = (cid, data) -> {
    if (cid.codec() != TEST_CODEC) {
      return List.of();
    }
    String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", -1);
    List<Cid> links = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].isEmpty()) {
        links.add(Cid.parse(lines[i]));
      }
    }
    return links;
  };

  private TestBlocks() {}

  /** A raw CIDv1 block of {@code data}. */
  public static Block raw(byte[] data) {
    return new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(data)), data);
  }

  public static Block raw(String text) {
    return raw(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A raw block of {@code size} random bytes. */
  public static Block random(RandomGenerator random, int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return raw(data);
  }

  /** A test-codec node with a payload and links to {@code children}, in order. */
  public static Block node(String payload, Cid... children) {
    return node(payload, List.of(children));
  }

  public static Block node(String payload, List<Cid> children) {
    if (payload.contains("\n")) {
      throw new IllegalArgumentException("payload may not contain a line break");
    }
    StringBuilder text = new StringBuilder(payload);
    for (Cid child : children) {
      text.append('\n').append(child);
    }
    byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
    return new Block(Cid.v1(TEST_CODEC, Multihash.sha2_256(data)), data);
  }
}
