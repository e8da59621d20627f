package io.mycel.sdk;

/**
 * Options of {@link MycelClient#add}, as {@code mycel add} takes them; null leaves a setting to
 * the daemon's default (profile {@code unixfs-v1-2025}, pinned).
 *
 * @param profile the CID profile, {@code unixfs-v1-2025} or {@code unixfs-v0-2015}
 * @param cidVersion overrides the profile's CID version
 * @param chunker overrides the profile's chunker, e.g. {@code size-262144}
 * @param rawLeaves overrides whether file data goes in raw leaves
 * @param onlyHash compute the CID only, store nothing
 * @param pin pin the root (ignored with {@code onlyHash})
 */
public record AddOptions(String profile, Integer cidVersion, String chunker, Boolean rawLeaves,
    boolean onlyHash, boolean pin) {
  /** The daemon's defaults: stored and pinned. */
  public static AddOptions defaults() {
    return new AddOptions(null, null, null, null, false, true);
  }
}
