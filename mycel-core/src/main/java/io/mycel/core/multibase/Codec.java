package io.mycel.core.multibase;

/** One base's conversion between bytes and text, without the multibase prefix. */
interface Codec {

  String encode(byte[] data);

  /** Decodes text; throws {@link IllegalArgumentException} on invalid text. */
  byte[] decode(String text);
}
