package io.mycel.node.site;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** A folder cannot be published as a site because of one of its entries, which this names. */
public final class SiteFolderException extends IOException {
  private final Path culprit;

  public SiteFolderException(Path culprit, String message) {
    super(message);
    this.culprit = Objects.requireNonNull(culprit, "culprit");
  }

  /** The file, folder or link at fault. */
  public Path culprit() {
    return culprit;
  }
}
