package io.mycel.content.unixfs;

/**
 * The kinds of UnixFS node, with their {@code Data.Type} numbers.
 *
 * <p>See <a href="https://specs.ipfs.tech/unixfs/#data-types">UnixFS data types</a>.
 */
public enum UnixfsType {
  RAW(0),
  DIRECTORY(1),
  FILE(2),
  METADATA(3),
  SYMLINK(4),
  HAMT_SHARD(5);

  private final int number;

  UnixfsType(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public boolean isDirectory() {
    return this == DIRECTORY || this == HAMT_SHARD;
  }

  /** Whether nodes of this type hold file bytes (a file, or the legacy raw type). */
  public boolean isFileLike() {
    return this == FILE || this == RAW;
  }
}
