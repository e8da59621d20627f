package io.mycel.routing.kad;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A directory of small files, one per DHT key, each replaced atomically: written to a temporary
 * file, forced to disk, then renamed over the old one, so a crash leaves the old or the new
 * content, never a mix.
 */
final class StoreFiles {

  /** Longest key or value a store file may hold. */
  static final int MAX_FIELD_LENGTH = 1 << 20;

  private static final String SUFFIX = ".rec";
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path directory;
  private final int magic;

  StoreFiles(Path directory, int magic) {
    this.directory = directory;
    this.magic = magic;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create DHT store directory " + directory, e);
    }
  }

  Path directory() {
    return directory;
  }

  /** The file holding {@code key}: the hex SHA-256 of the key, so any key makes a short name. */
  Path fileOf(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return directory.resolve(HexFormat.of().formatHex(digest) + SUFFIX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces the file of {@code key} with {@code body} (written after the magic and the key). */
  void write(byte[] key, byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    writeField(out, key);
    out.write(body);
    out.flush();
    Path target = fileOf(key);
    Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  void delete(byte[] key) throws IOException {
    Files.deleteIfExists(fileOf(key));
  }

  /** One stored file: its key and the stream positioned at its body. */
  record Entry(Path file, byte[] key, DataInputStream body) {}

  /**
   * Every stored file whose header is sound; leftover temporary files and files of another
   * format are deleted.
   */
  List<Entry> readAll() throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
          Files.deleteIfExists(file);
          continue;
        }
        if (!name.endsWith(SUFFIX)) {
          continue;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)));
        try {
          if (in.readInt() != magic) {
            throw new IOException("unknown format");
          }
          byte[] key = readField(in);
          if (!file.equals(fileOf(key))) {
            throw new IOException("file name does not match its key");
          }
          entries.add(new Entry(file, key, in));
        } catch (IOException e) {
          Files.deleteIfExists(file);
        }
      }
    }
    return entries;
  }

  static void writeField(DataOutputStream out, byte[] field) throws IOException {
    out.writeInt(field.length);
    out.write(field);
  }

  static byte[] readField(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_FIELD_LENGTH) {
      throw new IOException("field length " + length + " out of range");
    }
    byte[] field = in.readNBytes(length);
    if (field.length != length) {
      throw new IOException("truncated field");
    }
    return field;
  }
}
