package io.mycel.core.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a POSIX tar stream (ustar headers, with a pax extended header for names and link
 * targets that do not fit or are not ASCII, and for sizes of 8 GiB and more): how folders travel
 * through the HTTP API. Permissions, owners and times are not kept (every entry is written with
 * mode 0644 or 0755 and time 0), as UnixFS does not keep them either.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html">POSIX pax
 *     (ustar and pax interchange formats)</a>
 */
public final class TarWriter {
  static final int BLOCK = 512;
  private static final long MAX_USTAR_SIZE = 077777777777L;

  private final OutputStream out;
  private long written;

  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /** A folder entry; {@code path} is relative, with {@code /} separators. */
  public void directory(String path) throws IOException {
    header(path.endsWith("/") ? path : path + "/", TarEntry.Type.DIRECTORY, 0, "");
  }

  /** A file entry of exactly {@code size} bytes read from {@code data}. */
  public void file(String path, long size, InputStream data) throws IOException {
    header(path, TarEntry.Type.FILE, size, "");
    byte[] buffer = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = data.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException(path + " ended " + left + " bytes short of its " + size
            + " bytes; was it changed while being sent?");
      }
      write(buffer, 0, n);
      left -= n;
    }
    pad();
  }

  /** A symbolic link entry pointing at {@code target}. */
  public void symlink(String path, String target) throws IOException {
    header(path, TarEntry.Type.SYMLINK, 0, target);
  }

  /** Writes the end-of-archive marker (two zero blocks) and flushes; the stream stays open. */
  public void finish() throws IOException {
    write(new byte[2 * BLOCK], 0, 2 * BLOCK);
    out.flush();
  }

  /** Bytes written so far. */
  public long bytesWritten() {
    return written;
  }

  /**
   * Writes every folder, regular file and symbolic link below {@code root} (not following links),
   * in byte order of their names, with paths relative to {@code root}; other kinds of files are
   * left out.
   */
  public void writeTree(Path root) throws IOException {
    walk(root, "");
  }

  private void walk(Path dir, String prefix) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    children.sort((a, b) -> Arrays.compareUnsigned(
        a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
        b.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
    for (Path child : children) {
      String name = prefix + child.getFileName();
      BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (attrs.isDirectory()) {
        directory(name);
        walk(child, name + "/");
      } else if (attrs.isRegularFile()) {
        try (InputStream in = Files.newInputStream(child, LinkOption.NOFOLLOW_LINKS)) {
          file(name, attrs.size(), in);
        }
      } else if (attrs.isSymbolicLink()) {
        symlink(name, Files.readSymbolicLink(child).toString());
      }
    }
  }

  private void header(String path, TarEntry.Type type, long size, String link) throws IOException {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    byte[] target = link.getBytes(StandardCharsets.UTF_8);
    StringBuilder pax = new StringBuilder();
    if (name.length > 100 || !ascii(path)) {
      pax.append(record("path", path));
    }
    if (target.length > 100 || !ascii(link)) {
      pax.append(record("linkpath", link));
    }
    if (size > MAX_USTAR_SIZE) {
      pax.append(record("size", Long.toString(size)));
    }
    if (!pax.isEmpty()) {
      byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
      write(block("PaxHeaders/entry", 'x', data.length, ""), 0, BLOCK);
      write(data, 0, data.length);
      pad();
    }
    char flag = switch (type) {
      case FILE -> '0';
      case DIRECTORY -> '5';
      case SYMLINK -> '2';
      case OTHER -> throw new IllegalArgumentException("only files, folders and links are written");
    };
    write(block(ascii(path) ? path : "entry", flag, Math.min(size, MAX_USTAR_SIZE), ascii(link)
        ? link : "target"), 0, BLOCK);
  }

  private static byte[] block(String path, char flag, long size, String link) {
    byte[] h = new byte[BLOCK];
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, flag == '5' ? 0755 : 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = (byte) flag;
    byte[] target = link.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(target, 0, h, 157, Math.min(100, target.length));
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    String checksum = String.format("%06o", sum);
    System.arraycopy(checksum.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  /** A pax record: {@code "LEN key=value\n"}, LEN counting itself. */
  private static String record(String key, String value) {
    int body = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3;
    int len = body + Integer.toString(body).length();
    if (Integer.toString(len).length() != Integer.toString(body).length()) {
      len++;
    }
    return len + " " + key + "=" + value + "\n";
  }

  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    String padded = "0".repeat(len - 1 - s.length()) + s;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private void pad() throws IOException {
    int rest = (int) (written % BLOCK);
    if (rest != 0) {
      write(new byte[BLOCK - rest], 0, BLOCK - rest);
    }
  }

  private void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    written += len;
  }
}
