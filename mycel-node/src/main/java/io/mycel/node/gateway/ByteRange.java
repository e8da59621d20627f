package io.mycel.node.gateway;

import java.util.Optional;

/**
 * One satisfiable byte range of a representation, inclusive at both ends.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#name-range">RFC 9110 §14.2</a>
 */
record ByteRange(long first, long last) {
  ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("bad range " + first + "-" + last);
    }
  }

  long length() {
    return last - first + 1;
  }

  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /** Thrown for a well-formed range that lies wholly outside the representation. */
  static final class UnsatisfiableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsatisfiableException(String message) {
      super(message);
    }
  }

  /**
   * The single range a {@code Range} header asks for within {@code size} bytes; empty when the
   * header is absent, malformed, or asks for several ranges (the whole representation is then
   * sent, as RFC 9110 allows a server to ignore Range).
   */
  static Optional<ByteRange> parse(String header, long size) throws UnsatisfiableException {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
      return Optional.empty();
    }
    String spec = h.substring(6).trim();
    if (spec.indexOf(',') >= 0) {
      return Optional.empty();
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0 || size == 0) {
          throw new UnsatisfiableException("suffix range of " + b + " bytes of a "
              + size + "-byte file");
        }
        return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
      if (first < 0 || last < first) {
        return Optional.empty();
      }
      if (first >= size) {
        throw new UnsatisfiableException("range starts at byte " + first + " but the file has "
            + size + " bytes");
      }
      return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
