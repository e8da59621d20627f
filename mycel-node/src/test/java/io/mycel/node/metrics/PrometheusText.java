package io.mycel.node.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be a
 * {@code # HELP}, a {@code # TYPE} or a sample of a family whose TYPE came first, with valid names,
 * quoted and escaped label values and a number; no family may be declared twice.
 *
 * @see <a href="https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format">
 *     Text-based exposition format</a>
 */
final class PrometheusText {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final String NUMBER =
      "(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?Inf|NaN)";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (?:[^\\\\\\n]|\\\\[\\\\n])*");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile(
      "(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? (" + NUMBER + ")(?: -?\\d+)?");
  private static final Set<String> HISTOGRAM_SUFFIXES = Set.of("_bucket", "_sum", "_count");

  private PrometheusText() {}

  /**
   * The samples of {@code text}, keyed by the sample's name and labels exactly as written
   * (e.g. {@code mycel_network_bytes_total{direction="in"}}).
   *
   * @throws AssertionError naming the first line that is not valid
   */
  static Map<String, Double> parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new AssertionError("the text does not end with a line feed");
    }
    Map<String, String> types = new HashMap<>();
    Map<String, Double> samples = new LinkedHashMap<>();
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        continue;
      }
      if ((m = TYPE.matcher(line)).matches()) {
        if (types.put(m.group(1), m.group(2)) != null) {
          throw new AssertionError("line " + number + " declares " + m.group(1) + " again: " + line);
        }
        continue;
      }
      if ((m = SAMPLE.matcher(line)).matches()) {
        String name = m.group(1);
        if (!types.containsKey(name) && !types.containsKey(familyOf(name, types))) {
          throw new AssertionError("line " + number + " is a sample of an undeclared family: " + line);
        }
        String key = name + (m.group(2) == null ? "" : m.group(2));
        if (samples.put(key, parseNumber(m.group(3))) != null) {
          throw new AssertionError("line " + number + " repeats the sample " + key);
        }
        continue;
      }
      throw new AssertionError("line " + number + " is not valid exposition format: " + line);
    }
    return samples;
  }

  private static String familyOf(String sampleName, Map<String, String> types) {
    for (String suffix : HISTOGRAM_SUFFIXES) {
      if (sampleName.endsWith(suffix)) {
        String family = sampleName.substring(0, sampleName.length() - suffix.length());
        if ("histogram".equals(types.get(family)) || "summary".equals(types.get(family))) {
          return family;
        }
      }
    }
    return sampleName;
  }

  private static double parseNumber(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
