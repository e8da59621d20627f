package io.mycel.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void closedRange() throws Exception {
    assertThat(ByteRange.parse("bytes=10-19", 100)).contains(new ByteRange(10, 19));
  }

  @Test
  void openRangeRunsToTheEnd() throws Exception {
    assertThat(ByteRange.parse("bytes=90-", 100)).contains(new ByteRange(90, 99));
  }

  @Test
  void lastIsClampedToTheEnd() throws Exception {
    assertThat(ByteRange.parse("bytes=90-500", 100)).contains(new ByteRange(90, 99));
  }

  @Test
  void suffixRange() throws Exception {
    assertThat(ByteRange.parse("bytes=-10", 100)).contains(new ByteRange(90, 99));
    assertThat(ByteRange.parse("bytes=-500", 100)).contains(new ByteRange(0, 99));
  }

  @Test
  void startPastTheEndIsUnsatisfiable() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100))
        .isInstanceOf(ByteRange.UnsatisfiableException.class);
  }

  @Test
  void anyRangeOfAnEmptyFileIsUnsatisfiable() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=-1", 0))
        .isInstanceOf(ByteRange.UnsatisfiableException.class);
  }

  @Test
  void malformedOrMultipleRangesAreIgnored() throws Exception {
    assertThat(ByteRange.parse(null, 100)).isEmpty();
    assertThat(ByteRange.parse("items=1-2", 100)).isEmpty();
    assertThat(ByteRange.parse("bytes=a-b", 100)).isEmpty();
    assertThat(ByteRange.parse("bytes=5-1", 100)).isEmpty();
    assertThat(ByteRange.parse("bytes=1-2,5-6", 100)).isEmpty();
  }

  @Test
  void contentRangeHeader() {
    assertThat(new ByteRange(0, 9).contentRange(100)).isEqualTo("bytes 0-9/100");
  }
}
