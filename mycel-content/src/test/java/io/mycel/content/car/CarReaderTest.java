package io.mycel.content.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockHashMismatchException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.blockstore.TestBlocks;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.varint.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CarReaderTest {
  private final Blockstore store = new MemoryBlockstore();

  private static byte[] car(List<Cid> roots, Block... blocks) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CarWriter writer = new CarWriter(out, roots);
    for (Block block : blocks) {
      writer.write(block);
    }
    return out.toByteArray();
  }

  /** A header block with any content, length-prefixed. */
  private static byte[] rawHeader(String cborHex) {
    byte[] header = HexFormat.of().parseHex(cborHex);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Varint.encode(header.length));
    out.writeBytes(header);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private CarImport importBytes(byte[] bytes) throws IOException {
    return CarReader.importInto(new ByteArrayInputStream(bytes), store);
  }

  @Test
  void importsTheSpecFixture() throws IOException {
    CarImport result = importBytes(CarFixture.BYTES);
    assertThat(result.roots()).containsExactly(CarFixture.ROOT0, CarFixture.ROOT1);
    assertThat(result.blocks()).isEqualTo(8);
    assertThat(store.stats().blocks()).isEqualTo(8);
    assertThat(store.get(TestBlocks.raw("aaaa").cid()))
        .hasValueSatisfying(d -> assertThat(d).asString().isEqualTo("aaaa"));
    assertThat(store.has(CarFixture.ROOT0)).isTrue();
    assertThat(store.has(CarFixture.ROOT1)).isTrue();
  }

  @Test
  void fixtureBlocksKeepTheirCidVersions() throws IOException {
    List<Block> blocks = CarFixture.blocks();
    assertThat(blocks).extracting(b -> b.cid().version())
        .containsExactly(1, 1, 1, 0, 0, 0, 1, 1);
    assertThat(blocks).extracting(b -> b.cid().codec()).containsExactly(
        Multicodec.RAW, Multicodec.RAW, Multicodec.RAW, Multicodec.DAG_PB, Multicodec.DAG_PB,
        Multicodec.DAG_PB, Multicodec.DAG_CBOR, Multicodec.DAG_CBOR);
  }

  @Test
  @Timeout(10)
  void everyTruncationOfASmallCarIsAClearErrorOrAShorterCar() throws IOException {
    Block a = TestBlocks.raw("first block");
    Block b = TestBlocks.node("second", a.cid());
    Block c = TestBlocks.raw("third");
    byte[] whole = car(List.of(b.cid()), a, b, c);
    checkEveryTruncation(whole);
  }

  @Test
  @Timeout(10)
  void everyTruncationOfTheSpecFixtureIsAClearErrorOrAShorterCar() throws IOException {
    checkEveryTruncation(CarFixture.BYTES);
  }

  /** Each prefix either ends on a section boundary and imports those sections, or fails clearly. */
  private static void checkEveryTruncation(byte[] whole) throws IOException {
    List<Integer> boundaries = sectionBoundaries(whole);
    for (int length = 0; length < whole.length; length++) {
      byte[] prefix = Arrays.copyOf(whole, length);
      MemoryBlockstore target = new MemoryBlockstore();
      int complete = (int) boundaries.stream().filter(end -> end <= prefix.length).count() - 1;
      if (boundaries.contains(length)) {
        CarImport result = CarReader.importInto(new ByteArrayInputStream(prefix), target);
        assertThat(result.blocks()).as("prefix of %d bytes", length).isEqualTo(complete);
      } else {
        String expected = length < boundaries.getFirst()
            ? "truncated CAR header" : "truncated CAR after " + complete + " blocks";
        assertThatThrownBy(() -> CarReader.importInto(new ByteArrayInputStream(prefix), target))
            .as("prefix of %d bytes", length)
            .isInstanceOf(CarFormatException.class)
            .hasMessageContaining(expected);
        assertThat(target.stats().blocks()).isEqualTo(Math.max(0, complete));
      }
    }
  }

  /** Offsets where the header ends and where each section ends. */
  private static List<Integer> sectionBoundaries(byte[] car) {
    List<Integer> ends = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.wrap(car);
    long header = Varint.decode(buf);
    buf.position(buf.position() + (int) header);
    ends.add(buf.position());
    while (buf.hasRemaining()) {
      long section = Varint.decode(buf);
      buf.position(buf.position() + (int) section);
      ends.add(buf.position());
    }
    return ends;
  }

  @Test
  void blockWhoseBytesDoNotHashToItsCidIsRefusedAndNotStored() throws IOException {
    Block good = TestBlocks.raw("good");
    Block bad = TestBlocks.raw("bad!");
    byte[] bytes = car(List.of(good.cid()), good, bad);
    bytes[bytes.length - 1] ^= 0x01;
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("section 2")
        .hasMessageContaining("do not hash to " + bad.cid())
        .hasCauseInstanceOf(BlockHashMismatchException.class);
    assertThat(store.has(good.cid())).isTrue();
    assertThat(store.has(bad.cid())).isFalse();
  }

  @Test
  void blockUnderTheWrongCidIsRefused() throws IOException {
    Block a = TestBlocks.raw("a");
    Block b = TestBlocks.raw("b");
    byte[] bytes = car(List.of(a.cid()), new Block(a.cid(), b.data()));
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining(a.cid().toString());
    assertThat(store.stats().blocks()).isZero();
  }

  @Test
  void blockWithAnUnsupportedHashIsRefused() throws IOException {
    byte[] data = {1, 2, 3};
    // blake2b-256 (0xb220): a real hash this node cannot compute, so it cannot verify the block.
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.of(0xb220, new byte[32]));
    byte[] bytes = car(List.of(cid), new Block(cid, data));
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("cannot verify")
        .hasMessageContaining("0xb220");
  }

  @Test
  void version2HeaderIsRefused() {
    // {"version": 2}: the CARv2 pragma
    byte[] bytes = rawHeader("a16776657273696f6e02");
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("unsupported CAR version 2");
  }

  @Test
  void realCarV2PragmaIsRefused() {
    byte[] pragma = HexFormat.of().parseHex("0aa16776657273696f6e02");
    byte[] bytes = concat(pragma, new byte[40]);
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("CARv2");
  }

  @Test
  void headerWithoutRootsIsRefused() {
    byte[] bytes = rawHeader("a16776657273696f6e01");
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("no roots");
  }

  @Test
  void headerWithAnEmptyRootListIsRefused() {
    byte[] bytes = rawHeader("a265726f6f7473806776657273696f6e01");
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("no roots");
  }

  @Test
  void emptyStreamIsRefused() {
    assertThatThrownBy(() -> importBytes(new byte[0]))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("truncated CAR header");
  }

  @Test
  void headerLengthOfZeroIsRefused() {
    assertThatThrownBy(() -> importBytes(new byte[] {0}))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("header length is 0");
  }

  @Test
  void headerLongerThanTheLimitIsRefusedBeforeReadingIt() {
    byte[] bytes = Varint.encode(1L << 40);
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("header length 1099511627776 exceeds the limit of "
            + CarLimits.DEFAULT_MAX_HEADER_BYTES);
  }

  @Test
  void sectionLengthOf2To40IsRefusedBeforeReadingIt() throws IOException {
    Block a = TestBlocks.raw("a");
    byte[] bytes = concat(car(List.of(a.cid()), a), Varint.encode(1L << 40), new byte[64]);
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("section 2 length 1099511627776 exceeds the limit");
    assertThat(store.has(a.cid())).isTrue();
  }

  @Test
  void malformedLengthPrefixIsRefused() throws IOException {
    Block a = TestBlocks.raw("a");
    byte[] tenBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    byte[] bytes = concat(car(List.of(a.cid()), a), tenBytes);
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("malformed CAR length prefix");
  }

  @Test
  void zeroLengthSectionIsRefused() throws IOException {
    Block a = TestBlocks.raw("a");
    byte[] bytes = concat(car(List.of(a.cid())), new byte[] {0});
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("section 1 of the CAR is empty");
  }

  @Test
  void sectionWithAnInvalidCidIsRefused() throws IOException {
    Block a = TestBlocks.raw("a");
    byte[] section = {0x05, 0x07, 0x55, 0x00, 0x00, 0x00};
    byte[] bytes = concat(car(List.of(a.cid())), section);
    assertThatThrownBy(() -> importBytes(bytes))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("section 1 does not start with a valid CID");
  }

  @Test
  void blockOverTheBlockLimitIsRefused() throws IOException {
    Block big = TestBlocks.raw(new byte[1001]);
    byte[] bytes = car(List.of(big.cid()), big);
    CarLimits limits = new CarLimits(1024, 1000, 64);
    assertThatThrownBy(() -> CarReader.importInto(new ByteArrayInputStream(bytes), store, limits))
        .isInstanceOf(CarFormatException.class)
        .hasMessageContaining("1001 bytes exceeds the limit of 1000");
  }

  @Test
  void blockAtTheBlockLimitIsAccepted() throws IOException {
    Block big = TestBlocks.raw(new byte[1000]);
    byte[] bytes = car(List.of(big.cid()), big);
    CarLimits limits = new CarLimits(1024, 1000, 64);
    assertThat(CarReader.importInto(new ByteArrayInputStream(bytes), store, limits).blocks())
        .isEqualTo(1);
  }

  @Test
  void aStreamThatTricklesOneByteAtATimeIsReadCompletely() throws IOException {
    InputStream trickle = new ByteArrayInputStream(CarFixture.BYTES) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
    assertThat(CarReader.importInto(trickle, store).blocks()).isEqualTo(8);
  }

  @Test
  void readerHandsOutBlocksOneByOne() throws IOException {
    CarReader reader = CarReader.open(new ByteArrayInputStream(CarFixture.BYTES));
    assertThat(reader.roots()).containsExactly(CarFixture.ROOT0, CarFixture.ROOT1);
    assertThat(reader.next()).hasValueSatisfying(
        b -> assertThat(b.cid()).isEqualTo(TestBlocks.raw("aaaa").cid()));
    assertThat(reader.blocksRead()).isEqualTo(1);
  }
}
