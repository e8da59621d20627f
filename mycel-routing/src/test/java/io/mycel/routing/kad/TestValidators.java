package io.mycel.routing.kad;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A test namespace whose records are decimal version numbers; the highest wins. */
final class TestValidators {
  private TestValidators() {}

  static final String NAMESPACE = "v";

  static final RecordValidator VERSIONED =
      new RecordValidator() {
        @Override
        public void validate(byte[] key, byte[] value) {
          try {
            Long.parseLong(new String(value, StandardCharsets.UTF_8));
          } catch (NumberFormatException e) {
            throw new InvalidRecordException("not a version number");
          }
        }

        @Override
        public int select(byte[] key, List<byte[]> values) {
          int best = 0;
          for (int i = 1; i < values.size(); i++) {
            if (version(values.get(i)) > version(values.get(best))) {
              best = i;
            }
          }
          return best;
        }

        private long version(byte[] v) {
          return Long.parseLong(new String(v, StandardCharsets.UTF_8));
        }
      };

  static byte[] key(String name) {
    return ("/" + NAMESPACE + "/" + name).getBytes(StandardCharsets.UTF_8);
  }
}
