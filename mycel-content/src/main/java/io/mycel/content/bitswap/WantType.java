package io.mycel.content.bitswap;

/** What a wantlist entry asks for (want-have exists from Bitswap 1.2.0). */
public enum WantType {
  /** Send the block. */
  BLOCK,
  /** Say whether you have the block (have / dont-have). */
  HAVE
}
