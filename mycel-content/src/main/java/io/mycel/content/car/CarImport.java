package io.mycel.content.car;

import io.mycel.core.cid.Cid;
import java.util.List;

/** What an import stored: the CAR's roots and how many blocks it held. */
public record CarImport(List<Cid> roots, long blocks) {
  public CarImport {
    roots = List.copyOf(roots);
    if (blocks < 0) {
      throw new IllegalArgumentException("negative block count");
    }
  }
}
