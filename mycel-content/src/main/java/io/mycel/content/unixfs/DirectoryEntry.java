package io.mycel.content.unixfs;

import io.mycel.core.cid.Cid;
import java.util.Objects;

/**
 * An entry of a directory listing.
 *
 * @param name the entry's name
 * @param cid the entry's root
 * @param dagSize the cumulative DAG size from the parent's link (Tsize; unverified)
 * @param type the entry's type, or null when the listing did not load entries
 * @param size the file size (symlink target length, 0 for folders), or -1 when not loaded
 */
public record DirectoryEntry(String name, Cid cid, long dagSize, UnixfsType type, long size) {
  public DirectoryEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cid, "cid");
  }
}
