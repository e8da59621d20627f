package io.mycel.core.tar;

/**
 * One entry of a tar stream.
 *
 * @param path the entry's relative path with {@code /} separators, without a trailing slash
 * @param size the bytes of a file's content (0 for others)
 * @param linkTarget a symbolic link's target ({@code ""} for others)
 */
public record TarEntry(Type type, String path, long size, String linkTarget) {
  /** The kinds of entries; {@link #OTHER} (devices, hard links, ...) are skipped by readers. */
  public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }
}
