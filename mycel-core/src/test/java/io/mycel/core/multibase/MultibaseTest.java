package io.mycel.core.multibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The multibase repository's own test vectors (tests/*.csv of multiformats/multibase, copied
 * under src/test/resources/multibase), plus invalid input.
 */
class MultibaseTest {

  /** Encodings in the vectors that Mycel does not implement. */
  private static final Set<String> UNSUPPORTED = Set.of("base256emoji");

  static Stream<Arguments> canonicalVectors() throws IOException {
    List<Arguments> all = new ArrayList<>();
    all.addAll(vectors("basic.csv"));
    all.addAll(vectors("leading_zero.csv"));
    all.addAll(vectors("two_leading_zeros.csv"));
    return all.stream();
  }

  static Stream<Arguments> caseInsensitiveVectors() throws IOException {
    return vectors("case_insensitivity.csv").stream();
  }

  private static List<Arguments> vectors(String file) throws IOException {
    List<String> lines;
    try (InputStream in = MultibaseTest.class.getResourceAsStream("/multibase/" + file)) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    byte[] input = unescape(value(lines.get(0)));
    List<Arguments> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String name = line.substring(0, line.indexOf(',')).trim();
      if (!UNSUPPORTED.contains(name)) {
        out.add(Arguments.of(file + ":" + name, name, input, value(line)));
      }
    }
    return out;
  }

  private static String value(String line) {
    String quoted = line.substring(line.indexOf(',') + 1).trim();
    return quoted.substring(1, quoted.length() - 1);
  }

  private static byte[] unescape(String s) {
    return s.replace("\\x00", "\0").getBytes(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("canonicalVectors")
  void encodesAndDecodesVector(String label, String name, byte[] input, String encoded) {
    Multibase base = Multibase.forName(name).orElseThrow();
    assertThat(Multibase.encode(base, input)).isEqualTo(encoded);
    assertThat(Multibase.decode(encoded)).isEqualTo(input);
    assertThat(Multibase.baseOf(encoded)).isEqualTo(base);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caseInsensitiveVectors")
  void decodesMixedCaseVector(String label, String name, byte[] input, String encoded) {
    assertThat(Multibase.decode(encoded)).isEqualTo(input);
  }

  @Test
  void base58EmptyAndZeros() {
    assertThat(Multibase.BASE58_BTC.encodeBare(new byte[0])).isEmpty();
    assertThat(Multibase.BASE58_BTC.encodeBare(new byte[3])).isEqualTo("111");
    assertThat(Multibase.BASE58_BTC.decodeBare("111")).isEqualTo(new byte[3]);
  }

  @Test
  void rejectsBadBase58Character() {
    assertThatThrownBy(() -> Multibase.decode("z7paNL19xttac0Y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid character '0'");
  }

  @Test
  void rejectsNonAsciiCharacter() {
    assertThatThrownBy(() -> Multibase.decode("bpfsxgidnmfxgsib\u00e9"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsUnknownPrefix() {
    assertThatThrownBy(() -> Multibase.decode("Xabc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown multibase prefix");
  }

  @Test
  void rejectsEmptyText() {
    assertThatThrownBy(() -> Multibase.decode(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsImpossibleBase32Length() {
    assertThatThrownBy(() -> Multibase.decode("bpfs"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNonZeroTrailingBits() {
    // The final character of "yes mani !" in base64 is Q (010000); R sets a trailing bit.
    assertThatThrownBy(() -> Multibase.decode("meWVzIG1hbmkgIR"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailing bits");
  }

  @Test
  void rejectsOddHexLength() {
    assertThatThrownBy(() -> Multibase.decode("f796"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWrongPadding() {
    assertThatThrownBy(() -> Multibase.decode("MeWVzIG1hbmkgIQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("padding");
  }

  @Test
  void rejectsPaddingInUnpaddedBase() {
    assertThatThrownBy(() -> Multibase.decode("meWVzIG1hbmkgIQ=="))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsOverlongBase58Text() {
    String longText = "z" + "2".repeat(Multibase.MAX_BASE_X_LENGTH + 1);
    assertThatThrownBy(() -> Multibase.decode(longText))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void base58RoundTripsRandomishData() {
    for (int n = 0; n < 70; n++) {
      byte[] data = new byte[n];
      for (int i = 0; i < n; i++) {
        data[i] = (byte) (i * 31 + n);
      }
      for (Multibase base : Multibase.values()) {
        assertThat(Multibase.decode(Multibase.encode(base, data))).as(base.name()).isEqualTo(data);
      }
    }
  }
}
