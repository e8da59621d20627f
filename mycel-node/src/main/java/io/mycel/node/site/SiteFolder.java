package io.mycel.node.site;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks a folder before it is published, so that a bad entry stops the publish before anything
 * is stored: every file must open for reading, every folder must list, and no symbolic link may
 * loop (a link that cannot be resolved because it cycles, or a link to a folder that contains
 * it). Links are not followed into the site: the importer keeps them as UnixFS symlinks.
 */
public final class SiteFolder {
  /** Most entries a site folder may hold. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  private SiteFolder() {}

  /**
   * Checks {@code folder}.
   *
   * @return the number of regular files
   * @throws SiteFolderException naming the first entry at fault and what to do about it
   */
  public static long check(Path folder) throws IOException {
    return check(folder, DEFAULT_MAX_ENTRIES);
  }

  static long check(Path folder, int maxEntries) throws IOException {
    Path root = folder.toAbsolutePath().normalize();
    if (!Files.exists(root)) {
      throw new SiteFolderException(root, "no such folder: " + root);
    }
    if (!Files.isDirectory(root)) {
      throw new SiteFolderException(root, root + " is not a folder: a site is a folder with an index.html");
    }
    Path realRoot = root.toRealPath();
    long files = 0;
    long entries = 0;
    Deque<Path> folders = new ArrayDeque<>();
    folders.push(root);
    while (!folders.isEmpty()) {
      Path dir = folders.pop();
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          if (++entries > maxEntries) {
            throw new SiteFolderException(root, root + " holds more than " + maxEntries
                + " entries; publish a smaller folder");
          }
          BasicFileAttributes attrs =
              Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (attrs.isSymbolicLink()) {
            checkLink(child, realRoot);
          } else if (attrs.isDirectory()) {
            folders.push(child);
          } else if (attrs.isRegularFile()) {
            checkReadable(child);
            files++;
          }
        }
      } catch (SiteFolderException e) {
        throw e;
      } catch (IOException e) {
        throw new SiteFolderException(dir, "cannot list the folder " + dir + " ("
            + reason(e) + "); make it readable or move it out of the site");
      }
    }
    return files;
  }

  private static void checkReadable(Path file) throws SiteFolderException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      in.read(new byte[1]);
    } catch (IOException e) {
      throw new SiteFolderException(file, "cannot read " + file + " (" + reason(e)
          + "); make it readable or move it out of the site");
    }
  }

  private static void checkLink(Path link, Path realRoot) throws SiteFolderException {
    Path target;
    try {
      target = link.toRealPath();
    } catch (NoSuchFileException e) {
      return; // a dangling link is kept as a link; it loops nowhere
    } catch (FileSystemException e) {
      throw new SiteFolderException(link, "the symbolic link " + link + " cannot be resolved ("
          + reason(e) + "): it is part of a symbolic link loop; remove or fix it");
    } catch (IOException e) {
      throw new SiteFolderException(link, "cannot resolve the symbolic link " + link + " ("
          + reason(e) + ")");
    }
    Path realParent;
    try {
      realParent = link.getParent().toRealPath();
    } catch (IOException e) {
      throw new SiteFolderException(link, "cannot resolve the folder of " + link + " (" + reason(e) + ")");
    }
    if (Files.isDirectory(target) && realParent.startsWith(target)) {
      throw new SiteFolderException(link, "the symbolic link " + link + " points to " + target
          + ", a folder that contains it: a symbolic link loop; remove it or point it elsewhere");
    }
  }

  private static String reason(IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
