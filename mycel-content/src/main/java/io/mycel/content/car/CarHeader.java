package io.mycel.content.car;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.mycel.core.cid.Cid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The header of a CAR: {@code {"roots": [CID, ...], "version": 1}} in DAG-CBOR, CIDs as tag 42
 * over a byte string of {@code 0x00} and the binary CID.
 *
 * <p>See the <a href="https://ipld.io/specs/transport/car/carv1/#header">CARv1 header</a> and
 * the <a href="https://ipld.io/specs/codecs/dag-cbor/spec/">DAG-CBOR spec</a>. {@link #encode}
 * writes canonical DAG-CBOR (definite lengths, smallest integer forms, map keys sorted by length
 * then bytes, so {@code roots} before {@code version}). {@link #decode} checks the structure,
 * accepting any key order; it does not require {@code version} to be 1 or the roots to be
 * present, so that the reader can say precisely what is wrong (a CARv2 pragma is
 * {@code {"version": 2}}).
 *
 * @param version the format version
 * @param roots the root CIDs; empty when the header has none
 */
public record CarHeader(long version, List<Cid> roots) {
  /** The CBOR tag for a CID. */
  static final int CID_TAG = 42;
  private static final CBORFactory CBOR = CBORFactory.builder()
      .enable(CBORGenerator.Feature.WRITE_MINIMAL_INTS)
      .disable(CBORGenerator.Feature.WRITE_TYPE_HEADER)
      .build();
  private static final String ROOTS = "roots";
  private static final String VERSION = "version";

  public CarHeader {
    roots = List.copyOf(roots);
  }

  /** A version 1 header with these roots. */
  public static CarHeader v1(List<Cid> roots) {
    return new CarHeader(1, roots);
  }

  /** The canonical DAG-CBOR form (without the length prefix). */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator gen = CBOR.createGenerator(out)) {
      gen.writeStartObject(2);
      gen.writeFieldName(ROOTS);
      gen.writeStartArray(roots, roots.size());
      for (Cid root : roots) {
        byte[] cid = root.bytes();
        byte[] link = new byte[cid.length + 1];
        System.arraycopy(cid, 0, link, 1, cid.length);
        gen.writeTag(CID_TAG);
        gen.writeBinary(link);
      }
      gen.writeEndArray();
      gen.writeFieldName(VERSION);
      gen.writeNumber(version);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to memory", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a header block.
   *
   * @throws CarFormatException if it is not a DAG-CBOR map with an integer {@code version} and,
   *     when present, a {@code roots} list of CIDs
   */
  public static CarHeader decode(byte[] bytes) throws CarFormatException {
    Objects.requireNonNull(bytes, "bytes");
    try (CBORParser parser = CBOR.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new CarFormatException("CAR header is not a map");
      }
      Long version = null;
      List<Cid> roots = null;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (key) {
          case VERSION -> {
            if (version != null) {
              throw new CarFormatException("CAR header has two 'version' entries");
            }
            if (value != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
              throw new CarFormatException("CAR header 'version' is not an integer: " + value);
            }
            version = parser.getLongValue();
          }
          case ROOTS -> {
            if (roots != null) {
              throw new CarFormatException("CAR header has two 'roots' entries");
            }
            roots = readRoots(parser, value);
          }
          default -> parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT) {
        throw new CarFormatException("CAR header map is malformed at " + token);
      }
      if (parser.nextToken() != null) {
        throw new CarFormatException("CAR header has bytes after its map");
      }
      if (version == null) {
        throw new CarFormatException("CAR header has no 'version'");
      }
      return new CarHeader(version, roots == null ? List.of() : roots);
    } catch (CarFormatException e) {
      throw e;
    } catch (StreamReadException e) {
      throw new CarFormatException("CAR header is not valid CBOR: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CarFormatException("CAR header is not valid CBOR: " + e.getMessage(), e);
    }
  }

  private static List<Cid> readRoots(CBORParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new CarFormatException("CAR header 'roots' is not a list: " + value);
    }
    List<Cid> roots = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.VALUE_EMBEDDED_OBJECT || parser.getCurrentTag() != CID_TAG) {
        throw new CarFormatException("CAR header root " + roots.size()
            + " is not a CID (tag 42 byte string): " + token);
      }
      byte[] link = parser.getBinaryValue();
      if (link.length == 0 || link[0] != 0) {
        throw new CarFormatException("CAR header root " + roots.size()
            + " lacks the 0x00 prefix of a DAG-CBOR link");
      }
      try {
        roots.add(Cid.fromBytes(Arrays.copyOfRange(link, 1, link.length)));
      } catch (IllegalArgumentException e) {
        throw new CarFormatException("CAR header root " + roots.size() + " is not a valid CID: "
            + e.getMessage(), e);
      }
    }
    return roots;
  }
}
