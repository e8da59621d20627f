package io.mycel.core.tar;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;

/**
 * Reads a tar stream (ustar, pax extended headers, GNU long names) entry by entry, and extracts
 * one safely: no entry may leave the target folder, through {@code ..}, an absolute path or a
 * symbolic link written earlier in the same stream.
 *
 * @see TarWriter
 */
public final class TarReader {
  private static final int BLOCK = TarWriter.BLOCK;
  /** Largest pax or GNU long-name header accepted. */
  static final int MAX_META_BYTES = 64 * 1024;

  private final InputStream in;
  private long remaining;
  private long padding;
  private boolean ended;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive. Its content is {@link #content()}. */
  public TarEntry next() throws IOException {
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    if (ended) {
      return null;
    }
    Map<String, String> pax = new HashMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      byte[] h = new byte[BLOCK];
      if (!readBlock(h)) {
        ended = true;
        return null;
      }
      if (allZero(h)) {
        ended = true;
        return null;
      }
      checkChecksum(h);
      char flag = (char) h[156];
      long size = parseSize(h);
      if (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K') {
        if (size > MAX_META_BYTES) {
          throw new IOException("a tar extended header of " + size + " bytes is larger than "
              + MAX_META_BYTES);
        }
        byte[] data = readFully((int) size);
        skip(pad(size));
        if (flag == 'x') {
          pax.putAll(parsePax(data));
        } else if (flag == 'L') {
          longName = cString(data, 0, data.length);
        } else if (flag == 'K') {
          longLink = cString(data, 0, data.length);
        }
        continue;
      }
      String name = cString(h, 0, 100);
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty() && isUstar(h)) {
        name = prefix + "/" + name;
      }
      String link = cString(h, 157, 100);
      if (longName != null) {
        name = longName;
      }
      if (longLink != null) {
        link = longLink;
      }
      name = pax.getOrDefault("path", name);
      link = pax.getOrDefault("linkpath", link);
      if (pax.containsKey("size")) {
        try {
          size = Long.parseLong(pax.get("size"));
        } catch (NumberFormatException e) {
          throw new IOException("a tar pax size is not a number: " + pax.get("size"));
        }
      }
      TarEntry.Type type = switch (flag) {
        case '0', '\0', '7' -> name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE;
        case '5' -> TarEntry.Type.DIRECTORY;
        case '2' -> TarEntry.Type.SYMLINK;
        default -> TarEntry.Type.OTHER;
      };
      boolean hasData = type == TarEntry.Type.FILE || type == TarEntry.Type.OTHER && flag != '1'
          && flag != '2' && flag != '3' && flag != '4' && flag != '5' && flag != '6';
      remaining = hasData ? size : 0;
      padding = hasData ? pad(size) : 0;
      while (name.endsWith("/")) {
        name = name.substring(0, name.length() - 1);
      }
      while (name.startsWith("./")) {
        name = name.substring(2);
      }
      return new TarEntry(type, name, type == TarEntry.Type.FILE ? size : 0,
          type == TarEntry.Type.SYMLINK ? link : "");
    }
  }

  /** The content of the current file entry; read it before calling {@link #next()}. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("the tar stream ended inside a file, " + remaining
              + " bytes short");
        }
        remaining -= n;
        return n;
      }
    };
  }

  /**
   * Extracts every entry below {@code target} (created if missing; it should be empty). Files,
   * folders and symbolic links are written; other entries are skipped.
   *
   * @return the number of content bytes written
   * @throws IOException naming the entry when one would leave {@code target}
   */
  public long extractTo(Path target) throws IOException {
    Files.createDirectories(target);
    Path root = target.toAbsolutePath().normalize();
    Set<Path> links = new HashSet<>();
    long bytes = 0;
    for (TarEntry entry; (entry = next()) != null; ) {
      if (entry.type() == TarEntry.Type.OTHER || entry.path().isEmpty()
          || entry.path().equals(".")) {
        continue;
      }
      Path path = safePath(root, entry.path());
      for (Path p = path.getParent(); p != null && !p.equals(root); p = p.getParent()) {
        if (links.contains(p) || Files.isSymbolicLink(p)) {
          throw new IOException("the tar entry '" + entry.path()
              + "' would be written through a symbolic link");
        }
      }
      switch (entry.type()) {
        case DIRECTORY -> Files.createDirectories(path);
        case SYMLINK -> {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.linkTarget()));
          links.add(path);
        }
        default -> {
          Files.createDirectories(path.getParent());
          if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the tar stream holds '" + entry.path() + "' twice");
          }
          try (OutputStream out = Files.newOutputStream(path)) {
            bytes += content().transferTo(out);
          }
        }
      }
    }
    return bytes;
  }

  private static Path safePath(Path root, String name) throws IOException {
    if (name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
      throw new IOException("refusing the tar entry '" + name + "': not a relative path");
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new IOException("refusing the tar entry '" + name + "': it points outside");
      }
    }
    Path path = root.resolve(name).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IOException("refusing the tar entry '" + name + "': it points outside");
    }
    return path;
  }

  private static Map<String, String> parsePax(byte[] data) throws IOException {
    Map<String, String> records = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("a tar pax header is malformed");
      }
      if (len <= space - pos || pos + len > data.length) {
        throw new IOException("a tar pax record overruns its header");
      }
      String record = new String(data, space + 1, pos + len - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        records.put(record.substring(0, eq), record.substring(eq + 1));
      }
      pos += len;
    }
    return records;
  }

  private static void checkChecksum(byte[] h) throws IOException {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
    }
    long stated = parseOctal(h, 148, 8);
    if (stated != sum) {
      throw new IOException("not a tar stream, or a damaged one: header checksum " + stated
          + " does not match " + sum);
    }
  }

  private static long parseSize(byte[] h) throws IOException {
    if ((h[124] & 0x80) != 0) {
      long v = 0;
      for (int i = 125; i < 136; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    return parseOctal(h, 124, 12);
  }

  private static long parseOctal(byte[] h, int off, int len) throws IOException {
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (h[i] == ' ' || h[i] == 0)) {
      i++;
    }
    for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
      v = v * 8 + (h[i] - '0');
    }
    return v;
  }

  private static boolean isUstar(byte[] h) {
    return h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static long pad(long size) {
    long rest = size % BLOCK;
    return rest == 0 ? 0 : BLOCK - rest;
  }

  private boolean readBlock(byte[] h) throws IOException {
    int n = in.readNBytes(h, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("the tar stream ended inside a header");
    }
    return true;
  }

  private byte[] readFully(int size) throws IOException {
    byte[] data = in.readNBytes(size);
    if (data.length < size) {
      throw new EOFException("the tar stream ended inside an extended header");
    }
    return data;
  }

  private void skip(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("the tar stream ended " + left + " bytes early");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }
}
