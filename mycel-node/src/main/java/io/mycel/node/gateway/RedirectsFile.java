package io.mycel.node.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A site's {@code _redirects} file: one rule a line, {@code from to [status]}, blank lines and
 * {@code #} comments skipped. {@code from} may hold {@code :name} placeholders, each matching one
 * path segment, and end with a {@code *} splat matching the rest; {@code to} uses them as
 * {@code :name} and {@code :splat}. The first matching rule wins.
 *
 * @see <a href="https://specs.ipfs.tech/http-gateways/web-redirects-file/">Web Redirects File</a>
 */
final class RedirectsFile {
  /** Name of the file at the root of a site. */
  static final String FILE_NAME = "_redirects";
  /** Largest file accepted. */
  static final int MAX_FILE_BYTES = 64 * 1024;
  static final int DEFAULT_STATUS = 301;
  private static final Set<Integer> STATUSES = Set.of(200, 301, 302, 303, 307, 308, 404, 410, 451);

  /**
   * One rule.
   *
   * @param from the path pattern
   * @param to the path or URL it leads to
   * @param status 200 rewrites, 3xx redirects, 4xx serves {@code to} with that status
   */
  record Rule(String from, String to, int status) {
    Rule {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * A matched rule.
   *
   * @param to the target with placeholders filled in
   * @param status the rule's status
   */
  record Match(String to, int status) {
    boolean isRedirect() {
      return status >= 300 && status < 400;
    }
  }

  private final List<Rule> rules;

  private RedirectsFile(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  List<Rule> rules() {
    return rules;
  }

  /**
   * Parses the file.
   *
   * @throws IllegalArgumentException naming the line of an invalid rule
   */
  static RedirectsFile parse(String text) {
    List<Rule> rules = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 2 || fields.length > 3) {
        throw new IllegalArgumentException(FILE_NAME + " line " + (n + 1)
            + ": expected 'from to [status]', got '" + line + "'");
      }
      String from = fields[0];
      String to = fields[1];
      if (!from.startsWith("/")) {
        throw new IllegalArgumentException(FILE_NAME + " line " + (n + 1) + ": '" + from
            + "' must be a path starting with /");
      }
      int splat = from.indexOf('*');
      if (splat >= 0 && splat != from.length() - 1) {
        throw new IllegalArgumentException(FILE_NAME + " line " + (n + 1)
            + ": a * splat may only end the path '" + from + "'");
      }
      int status = DEFAULT_STATUS;
      if (fields.length == 3) {
        String code = fields[2].endsWith("!") ? null : fields[2];
        try {
          status = code == null ? -1 : Integer.parseInt(code);
        } catch (NumberFormatException e) {
          status = -1;
        }
        if (!STATUSES.contains(status)) {
          throw new IllegalArgumentException(FILE_NAME + " line " + (n + 1) + ": status '"
              + fields[2] + "' is not one of " + STATUSES.stream().sorted().toList());
        }
      }
      boolean url = to.startsWith("http://") || to.startsWith("https://");
      if (!url && !to.startsWith("/")) {
        throw new IllegalArgumentException(FILE_NAME + " line " + (n + 1) + ": '" + to
            + "' must be a path starting with / or an http(s) URL");
      }
      if (url && (status < 300 || status >= 400)) {
        throw new IllegalArgumentException(FILE_NAME + " line " + (n + 1) + ": status " + status
            + " needs a path inside the site, not the URL '" + to + "'");
      }
      rules.add(new Rule(from, to, status));
    }
    return new RedirectsFile(rules);
  }

  /** The first rule matching {@code path} (which starts with a slash), its target filled in. */
  Optional<Match> match(String path) {
    String[] have = split(path);
    for (Rule rule : rules) {
      Map<String, String> values = matches(split(rule.from()), have);
      if (values != null) {
        return Optional.of(new Match(fill(rule.to(), values), rule.status()));
      }
    }
    return Optional.empty();
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }

  /** The placeholder values when {@code pattern} matches {@code have}, else null. */
  private static Map<String, String> matches(String[] pattern, String[] have) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (i == pattern.length - 1 && p.endsWith("*")) {
        String prefix = p.substring(0, p.length() - 1);
        if (i >= have.length) {
          if (!prefix.isEmpty()) {
            return null;
          }
          values.put("splat", "");
          return values;
        }
        if (!have[i].startsWith(prefix)) {
          return null;
        }
        StringBuilder rest = new StringBuilder(have[i].substring(prefix.length()));
        for (int j = i + 1; j < have.length; j++) {
          rest.append('/').append(have[j]);
        }
        values.put("splat", rest.toString());
        return values;
      }
      if (i >= have.length) {
        return null;
      }
      if (p.startsWith(":") && p.length() > 1) {
        values.put(p.substring(1), have[i]);
      } else if (!p.equals(have[i])) {
        return null;
      }
    }
    return pattern.length == have.length ? values : null;
  }

  private static String fill(String to, Map<String, String> values) {
    StringBuilder out = new StringBuilder(to.length() + 16);
    int i = 0;
    while (i < to.length()) {
      char c = to.charAt(i);
      if (c == ':') {
        int end = i + 1;
        while (end < to.length() && (Character.isLetterOrDigit(to.charAt(end))
            || to.charAt(end) == '_')) {
          end++;
        }
        String value = values.get(to.substring(i + 1, end));
        if (end > i + 1 && value != null) {
          out.append(value);
          i = end;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }
}
