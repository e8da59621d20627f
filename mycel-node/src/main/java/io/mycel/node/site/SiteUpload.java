package io.mycel.node.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A folder sent file by file (the dashboard's folder picker), staged under the home's
 * {@value #STAGING_DIR} before it is published and deleted afterwards. Each file's path inside
 * the folder is checked, so that an upload cannot write outside its staging folder, and the
 * number of files and bytes are bounded.
 */
public final class SiteUpload implements AutoCloseable {
  /** Where uploads are staged, inside the node home. */
  public static final String STAGING_DIR = "tmp";
  /** Most files one upload may hold. */
  public static final int DEFAULT_MAX_FILES = 10_000;
  /** Most bytes one upload may hold. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  /** Longest path of a file inside the uploaded folder, in characters. */
  public static final int MAX_PATH_LENGTH = 1024;

  private final Path folder;
  private final int maxFiles;
  private final long maxBytes;
  private int files;
  private long bytes;

  private SiteUpload(Path folder, int maxFiles, long maxBytes) {
    this.folder = folder;
    this.maxFiles = maxFiles;
    this.maxBytes = maxBytes;
  }

  /** Starts an upload staged in a new folder under {@code homeDir}/{@value #STAGING_DIR}. */
  public static SiteUpload begin(Path homeDir) throws IOException {
    return begin(homeDir, DEFAULT_MAX_FILES, DEFAULT_MAX_BYTES);
  }

  public static SiteUpload begin(Path homeDir, int maxFiles, long maxBytes) throws IOException {
    Path staging = Files.createDirectories(homeDir.resolve(STAGING_DIR));
    return new SiteUpload(Files.createTempDirectory(staging, "site-upload-"), maxFiles, maxBytes);
  }

  /** The staging folder: what to publish once every file is in. */
  public Path folder() {
    return folder;
  }

  public int files() {
    return files;
  }

  /**
   * Writes one file of the upload at {@code relativePath} ({@code css/site.css}).
   *
   * @throws IllegalArgumentException naming a path that could leave the folder, or a repeated one
   * @throws TooLargeException when the upload exceeds its limits
   */
  public void add(String relativePath, InputStream content) throws IOException {
    Path target = resolve(relativePath);
    if (++files > maxFiles) {
      throw new TooLargeException("the upload holds more than " + maxFiles + " files; publish a smaller folder");
    }
    Files.createDirectories(target.getParent());
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = content.read(buffer)) >= 0) {
        bytes += n;
        if (bytes > maxBytes) {
          throw new TooLargeException("the upload is larger than " + maxBytes + " bytes; publish a smaller folder");
        }
        out.write(buffer, 0, n);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IllegalArgumentException("the upload holds '" + relativePath + "' twice");
    }
  }

  private Path resolve(String relativePath) {
    Objects.requireNonNull(relativePath, "relativePath");
    String p = relativePath;
    if (p.isEmpty() || p.length() > MAX_PATH_LENGTH || p.startsWith("/") || p.indexOf('\\') >= 0
        || p.indexOf('\0') >= 0) {
      throw badPath(relativePath);
    }
    Path target = folder;
    for (String segment : p.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw badPath(relativePath);
      }
      target = target.resolve(segment);
    }
    if (!target.normalize().startsWith(folder)) {
      throw badPath(relativePath);
    }
    return target;
  }

  private static IllegalArgumentException badPath(String path) {
    return new IllegalArgumentException("refusing the uploaded file '" + path
        + "': a file's path must stay inside the folder (no leading /, no . or .. segments)");
  }

  /** Deletes the staging folder and everything in it. */
  @Override
  public void close() throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** An upload passed its limit of files or bytes. */
  public static final class TooLargeException extends IOException {
    public TooLargeException(String message) {
      super(message);
    }
  }
}
