package io.mycel.content.unixfs;

import java.io.IOException;

/** A path that names no entry: a missing name, or a name under something that is no folder. */
public class PathNotFoundException extends IOException {
  public PathNotFoundException(String message) {
    super(message);
  }
}
