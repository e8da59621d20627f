package io.mycel.node.gateway;

import io.mycel.content.unixfs.DirectoryEntry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/** The HTML the gateway writes itself: error pages and folder listings. */
final class HtmlPages {
  private HtmlPages() {}

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String error(HttpResponseStatus status, String message) {
    String title = escape(status.code() + " " + status.reasonPhrase());
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title
        + "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + escape(message)
        + "</p></body></html>\n";
  }

  /**
   * A listing of {@code entries}, linked relative to {@code folderPath} (which ends with a
   * slash).
   */
  static String listing(String folderPath, boolean hasParent, List<DirectoryEntry> entries,
      boolean truncated) {
    String title = escape("Index of " + folderPath);
    StringBuilder out = new StringBuilder(256 + entries.size() * 128);
    out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title)
        .append("</title></head>\n<body><h1>").append(title).append("</h1>\n<table>\n");
    if (hasParent) {
      out.append("<tr><td><a href=\"..\">..</a></td><td></td><td></td></tr>\n");
    }
    for (DirectoryEntry e : entries) {
      boolean folder = e.type() != null && e.type().isDirectory();
      String size = folder ? "-" : e.size() >= 0 ? humanSize(e.size())
          : "~" + humanSize(e.dagSize());
      String href = ContentPath.encodeSegment(e.name()) + (folder ? "/" : "");
      out.append("<tr><td><a href=\"").append(escape(href)).append("\">")
          .append(escape(e.name())).append(folder ? "/" : "")
          .append("</a></td><td>").append(size)
          .append("</td><td><code>").append(escape(e.cid().toString()))
          .append("</code></td></tr>\n");
    }
    out.append("</table>\n");
    if (truncated) {
      out.append("<p>Listing truncated after ").append(entries.size()).append(" entries.</p>\n");
    }
    return out.append("</body></html>\n").toString();
  }

  static String humanSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
