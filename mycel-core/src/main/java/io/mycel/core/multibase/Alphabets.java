package io.mycel.core.multibase;

/** Alphabets of the multibase table. */
final class Alphabets {

  static final String HEX = "0123456789abcdef";
  static final String HEX_UPPER = "0123456789ABCDEF";
  static final String B32 = "abcdefghijklmnopqrstuvwxyz234567";
  static final String B32_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static final String B32_HEX = "0123456789abcdefghijklmnopqrstuv";
  static final String B32_HEX_UPPER = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
  static final String B32_Z = "ybndrfg8ejkmcpqxot1uwisza345h769";
  static final String B36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  static final String B36_UPPER = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static final String B58_BTC =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  static final String B58_FLICKR =
      "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
  static final String B64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static final String B64_URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private Alphabets() {}
}
