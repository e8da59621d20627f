package io.mycel.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private key files: the libp2p protobuf {@code PrivateKey} encoding, readable by the owner
 * only.
 *
 * <p>A key is written to a temporary file in the target directory that is created with mode
 * 0600 (never readable by anyone else, not even for an instant), forced to disk, then renamed
 * over the target atomically, so a crash leaves either the old key or the new one. Reading
 * refuses a file that group or others may access, as ssh does.
 */
public final class KeyFiles {

  private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private KeyFiles() {}

  /**
   * Writes {@code key} to {@code file} atomically with mode 0600, replacing any existing file.
   * The parent directory must exist.
   */
  public static void write(Path file, PrivateKey key) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    boolean posix = supportsPosix(dir);
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    if (!posix) {
      LOG.warn("File system of {} has no POSIX permissions; cannot restrict access to the key",
          dir);
    }
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attrs);
    byte[] encoded = key.marshal();
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(encoded);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
        channel.force(true);
      }
      if (posix) {
        // The creation mode is filtered by the umask; make it exactly 0600.
        Files.setPosixFilePermissions(temp, OWNER_ONLY);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } finally {
      Arrays.fill(encoded, (byte) 0);
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads a private key written by {@link #write(Path, PrivateKey)} (or by another libp2p
   * implementation).
   *
   * @throws IOException if the file cannot be read, may be accessed by group or others, is
   *     larger than a key, or does not hold a valid supported private key
   */
  public static PrivateKey read(Path file) throws IOException {
    if (supportsPosix(file)) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
        throw new IOException("key file " + file + " has permissions "
            + PosixFilePermissions.toString(perms)
            + " but must not be accessible by group or others (chmod 600 " + file + ")");
      }
    }
    byte[] encoded;
    try (InputStream in = Files.newInputStream(file)) {
      encoded = in.readNBytes(Keys.MAX_ENCODED_KEY_LENGTH + 1);
    }
    try {
      if (encoded.length > Keys.MAX_ENCODED_KEY_LENGTH) {
        throw new IOException("key file " + file + " is larger than "
            + Keys.MAX_ENCODED_KEY_LENGTH + " bytes: not a private key");
      }
      return Keys.unmarshalPrivateKey(encoded);
    } catch (IllegalArgumentException e) {
      throw new IOException("key file " + file + " holds no valid private key: "
          + e.getMessage(), e);
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  private static boolean supportsPosix(Path path) throws IOException {
    return Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class);
  }

  /** Makes the rename durable; not every platform lets a directory be opened, so best effort. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("Could not sync directory {}", dir, e);
    }
  }
}
