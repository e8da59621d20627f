package io.mycel.content.car;

import io.mycel.content.blockstore.Block;
import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The "carv1-basic" fixture of the CARv1 spec (as published in ipld/js-car's test data): two
 * DAG-CBOR roots over a chain of three dag-pb nodes (CIDv0) and three raw leaves (CIDv1).
 *
 * <pre>
 * root0 (dag-cbor {link, name: "blip"}) -> pb2 -> [cccc, pb1]; pb1 -> [bbbb, pb0]; pb0 -> [aaaa]
 * root1 (dag-cbor {link: null, name: "limbo"})
 * </pre>
 */
final class CarFixture {
  static final byte[] BYTES = HexFormat.of().parseHex(
      "63a265726f6f747382d82a58250001711220f88bc853804cf294fe417e4fa83028689fcdb1b1592c51"
      + "02e1474dbc200fab8bd82a5825000171122069ea0740f9807a28f4d932c62e7c1c83be055e55072c"
      + "90266ab3e79df63a365b6776657273696f6e01280155122061be55a8e2f6b4e172338bddf184d6db"
      + "ee29c98853e0a0485ecee7f27b9af0b461616161280155122081cc5b17018674b401b42f35ba07bb"
      + "79e211239c23bffe658da1577e3e646877626262622801551220b6fbd675f98e2abd22d4ed29fdc8"
      + "3150fedc48597e92dd1a7a24381d44a2745163636363511220e7dc486e97e6ebe5cdabab3e392bda"
      + "d128b6e09acc94bb4e2aa2af7b986d24d0122d0a240155122061be55a8e2f6b4e172338bddf184d6"
      + "dbee29c98853e0a0485ecee7f27b9af0b4120363617418048001122079a982de3c9907953d4d323c"
      + "ee1d0fb1ed8f45f8ef02870c0cb9e09246bd530a122d0a240155122081cc5b17018674b401b42f35"
      + "ba07bb79e211239c23bffe658da1577e3e6468771203646f671804122d0a221220e7dc486e97e6eb"
      + "e5cdabab3e392bdad128b6e09acc94bb4e2aa2af7b986d24d01205666972737418338301122002ac"
      + "ecc5de2438ea4126a3010ecb1f8a599c8eff22fff1a1dcffe999b27fd3de122e0a2401551220b6fb"
      + "d675f98e2abd22d4ed29fdc83150fedc48597e92dd1a7a24381d44a274511204626561721804122f"
      + "0a22122079a982de3c9907953d4d323cee1d0fb1ed8f45f8ef02870c0cb9e09246bd530a12067365"
      + "636f6e641895015b01711220f88bc853804cf294fe417e4fa83028689fcdb1b1592c5102e1474dbc"
      + "200fab8ba2646c696e6bd82a582300122002acecc5de2438ea4126a3010ecb1f8a599c8eff22fff1"
      + "a1dcffe999b27fd3de646e616d6564626c6970360171122069ea0740f9807a28f4d932c62e7c1c83"
      + "be055e55072c90266ab3e79df63a365ba2646c696e6bf6646e616d65656c696d626f");

  /** Header length prefix (1 byte) and header (0x63 = 99 bytes). */
  static final int HEADER_END = 1 + 0x63;

  static final Cid ROOT0 = Cid.parse("bafyreihyrpefhacm6kkp4ql6j6udakdit7g3dmkzfriqfykhjw6cad5lrm");
  static final Cid ROOT1 = Cid.parse("bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm");

  private CarFixture() {}

  /** The fixture's blocks in file order: aaaa, bbbb, cccc, pb0, pb1, pb2, root0, root1. */
  static List<Block> blocks() throws IOException {
    CarReader reader = CarReader.open(new ByteArrayInputStream(BYTES));
    List<Block> blocks = new ArrayList<>();
    Optional<Block> block;
    while ((block = reader.next()).isPresent()) {
      blocks.add(block.get());
    }
    return blocks;
  }

  /**
   * Links of the fixture's blocks without a dag-pb or DAG-CBOR parser: a block links to every
   * fixture CID whose binary form occurs in its bytes, in order of occurrence.
   */
  static LinkDecoder decoder(List<Block> blocks) {
    return (cid, data) -> {
      Map<Integer, Cid> found = new TreeMap<>(Comparator.naturalOrder());
      for (Block candidate : blocks) {
        int at = indexOf(data, candidate.cid().bytes());
        if (at >= 0) {
          found.put(at, candidate.cid());
        }
      }
      return List.copyOf(found.values());
    };
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
