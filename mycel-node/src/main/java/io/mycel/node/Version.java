package io.mycel.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Mycel version, from the build. */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  public static String version() {
    return VERSION;
  }

  /** The identify agent version: {@code mycel/<version>}. */
  public static String agent() {
    return "mycel/" + VERSION;
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "dev");
  }
}
