package io.mycel.core.multicodec;

/**
 * Codes from the <a href="https://github.com/multiformats/multicodec/blob/master/table.csv">
 * multicodec table</a> that Mycel uses.
 */
public final class Multicodec {

  /** Identity "hash": the digest is the data itself. */
  public static final long IDENTITY = 0x00;
  public static final long SHA1 = 0x11;
  public static final long SHA2_256 = 0x12;
  public static final long SHA2_512 = 0x13;
  public static final long SHA3_512 = 0x14;
  public static final long SHA3_384 = 0x15;
  public static final long SHA3_256 = 0x16;
  public static final long SHA3_224 = 0x17;
  public static final long CBOR = 0x51;
  public static final long RAW = 0x55;
  public static final long DAG_PB = 0x70;
  public static final long DAG_CBOR = 0x71;
  public static final long LIBP2P_KEY = 0x72;
  public static final long ED25519_PUB = 0xed;
  public static final long DAG_JSON = 0x0129;
  public static final long JSON = 0x0200;

  private Multicodec() {}
}
