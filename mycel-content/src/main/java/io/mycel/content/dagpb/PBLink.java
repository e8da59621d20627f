package io.mycel.content.dagpb;

import io.mycel.core.cid.Cid;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A link of a dag-pb node: the target's CID, an optional name and an optional cumulative size
 * ({@code Tsize}: the target block's size plus the sizes of everything below it).
 *
 * <p>See the <a href="https://ipld.io/specs/codecs/dag-pb/spec/">dag-pb spec</a>. An absent name
 * and an empty name are distinct in the binary form, and so are an absent and a zero Tsize.
 */
public record PBLink(Cid hash, Optional<String> name, OptionalLong tsize) {
  public PBLink {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tsize, "tsize");
    if (tsize.isPresent() && tsize.getAsLong() < 0) {
      throw new IllegalArgumentException("negative Tsize " + tsize.getAsLong());
    }
  }

  /** A link with both a name and a Tsize, the form UnixFS writes. */
  public static PBLink of(Cid hash, String name, long tsize) {
    return new PBLink(hash, Optional.of(name), OptionalLong.of(tsize));
  }

  /** A link with neither name nor Tsize. */
  public static PBLink of(Cid hash) {
    return new PBLink(hash, Optional.empty(), OptionalLong.empty());
  }

  /** The name, or the empty string when absent (how sorting and path lookups treat it). */
  public String nameOrEmpty() {
    return name.orElse("");
  }
}
