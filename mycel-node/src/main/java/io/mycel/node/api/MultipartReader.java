package io.mycel.node.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body part by part while it arrives, each part's content
 * as a stream (nothing is buffered but a window of the body): how browsers and Kubo-style
 * clients upload files.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7578">RFC 7578: multipart/form-data</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1">RFC 2046 §5.1.1: the
 *     multipart syntax</a>
 */
final class MultipartReader {
  private static final Pattern BOUNDARY = Pattern.compile(
      "(?i)boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
  private static final Pattern PARAM = Pattern.compile(
      "(?i);\\s*(name|filename)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]*))");
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int WINDOW = 64 * 1024;

  /** One part: its form field name, file name (null for plain fields), type and content. */
  record Part(String name, String filename, String contentType, InputStream content) {}

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private boolean finished;
  private boolean atBoundary;

  private MultipartReader(InputStream in, String boundary) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[WINDOW + delimiter.length];
    // The first boundary has no CRLF before it; one is put in front so that all look alike.
    buf[0] = '\r';
    buf[1] = '\n';
    end = 2;
  }

  /** A reader of {@code body}, whose {@code Content-Type} is {@code contentType}. */
  static MultipartReader of(String contentType, InputStream body) {
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      throw ApiException.badRequest("a multipart body needs a boundary in its Content-Type");
    }
    return new MultipartReader(body, m.group(1) != null ? m.group(1) : m.group(2));
  }

  /** Whether {@code contentType} is {@code multipart/form-data}. */
  static boolean isMultipart(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  /** The next part (the previous one's unread content is skipped), or null after the last. */
  Part next() throws IOException {
    if (finished) {
      return null;
    }
    if (!atBoundary) {
      // The preamble, or what the caller left unread of the previous part.
      InputStream rest = new Content();
      while (rest.skip(Long.MAX_VALUE) > 0) {
        // skipping
      }
    }
    atBoundary = false;
    // After a delimiter: "--" ends the body, otherwise (optional blanks and) CRLF.
    if (!fill(2)) {
      throw new EOFException("the multipart body ended after a boundary");
    }
    if (buf[start] == '-' && buf[start + 1] == '-') {
      finished = true;
      return null;
    }
    String line = readLine();
    if (!line.isBlank()) {
      throw ApiException.badRequest("the multipart body has text after a boundary: '" + line + "'");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int headerBytes = 0;
    for (String header; !(header = readLine()).isEmpty(); ) {
      headerBytes += header.length();
      if (headerBytes > MAX_HEADER_BYTES) {
        throw ApiException.badRequest("a multipart part's headers are larger than "
            + MAX_HEADER_BYTES + " bytes");
      }
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim());
      }
    }
    String disposition = headers.getOrDefault("content-disposition", "");
    String name = null;
    String filename = null;
    Matcher m = PARAM.matcher(disposition);
    while (m.find()) {
      String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
      if (m.group(1).equalsIgnoreCase("name")) {
        name = value;
      } else {
        filename = value;
      }
    }
    return new Part(name, filename, headers.getOrDefault("content-type", "text/plain"),
        new Content());
  }

  /** A line up to CRLF, read as UTF-8. */
  private String readLine() throws IOException {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    while (true) {
      if (!fill(1)) {
        throw new EOFException("the multipart body ended inside a part's headers");
      }
      byte b = buf[start++];
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
            : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      line.write(b);
      if (line.size() > MAX_HEADER_BYTES) {
        throw ApiException.badRequest("a multipart header line is too long");
      }
    }
  }

  /** Reads until at least {@code n} bytes are buffered; false if the body ends first. */
  private boolean fill(int n) throws IOException {
    while (end - start < n) {
      if (eof) {
        return false;
      }
      if (start > 0 && (buf.length - end) < n) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      }
      int r = in.read(buf, end, buf.length - end);
      if (r < 0) {
        eof = true;
      } else {
        end += r;
      }
    }
    return true;
  }

  private int indexOfDelimiter() {
    outer:
    for (int i = start; i <= end - delimiter.length; i++) {
      for (int j = 0; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The content of the current part, up to the next delimiter. */
  private final class Content extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done || len == 0) {
        return done ? -1 : 0;
      }
      fill(Math.min(buf.length - 1, WINDOW));
      int at = indexOfDelimiter();
      int available;
      if (at >= 0) {
        available = at - start;
        if (available == 0) {
          start += delimiter.length;
          done = true;
          atBoundary = true;
          return -1;
        }
      } else {
        available = end - start - (delimiter.length - 1);
        if (available <= 0) {
          if (eof) {
            throw new EOFException("the multipart body ended before its closing boundary");
          }
          return 0;
        }
      }
      int n = Math.min(len, available);
      System.arraycopy(buf, start, b, off, n);
      start += n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = 0;
      byte[] scratch = new byte[8192];
      while (skipped < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }
  }
}
