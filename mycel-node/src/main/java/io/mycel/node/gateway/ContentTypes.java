package io.mycel.node.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Content types for served files: by file-name extension, else sniffed from the first bytes. */
final class ContentTypes {
  /** How many leading bytes {@link #sniff} looks at. */
  static final int SNIFF_BYTES = 512;
  static final String OCTET_STREAM = "application/octet-stream";
  static final String HTML = "text/html; charset=utf-8";

  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("html", HTML),
      Map.entry("htm", HTML),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("md", "text/markdown; charset=utf-8"),
      Map.entry("xml", "application/xml"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("webp", "image/webp"),
      Map.entry("avif", "image/avif"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("wasm", "application/wasm"),
      Map.entry("pdf", "application/pdf"),
      Map.entry("mp4", "video/mp4"),
      Map.entry("webm", "video/webm"),
      Map.entry("mp3", "audio/mpeg"),
      Map.entry("ogg", "audio/ogg"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("zip", "application/zip"),
      Map.entry("car", "application/vnd.ipld.car"));

  private ContentTypes() {}

  static Optional<String> byName(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }

  static String sniff(byte[] head) {
    if (startsWith(head, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
      return "image/png";
    }
    if (startsWith(head, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})) {
      return "image/jpeg";
    }
    if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) {
      return "image/gif";
    }
    if (startsWith(head, ascii("%PDF-"))) {
      return "application/pdf";
    }
    String text = new String(head, StandardCharsets.ISO_8859_1).stripLeading()
        .toLowerCase(Locale.ROOT);
    for (String tag : new String[] {"<!doctype html", "<html", "<head", "<body"}) {
      if (text.startsWith(tag)) {
        return HTML;
      }
    }
    return OCTET_STREAM;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
