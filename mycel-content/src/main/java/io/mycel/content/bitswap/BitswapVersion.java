package io.mycel.content.bitswap;

import java.util.Optional;

/**
 * The Bitswap protocol versions (<a
 * href="https://github.com/ipfs/specs/blob/main/src/bitswap-protocol.md">spec</a>), newest first.
 * 1.1.0 added block prefixes (so blocks may be CIDv1); 1.2.0 added want-have, block presences
 * (have / dont-have) and pending bytes.
 */
public enum BitswapVersion {
  V1_2_0("/ipfs/bitswap/1.2.0"),
  V1_1_0("/ipfs/bitswap/1.1.0"),
  V1_0_0("/ipfs/bitswap/1.0.0");

  private final String protocolId;

  BitswapVersion(String protocolId) {
    this.protocolId = protocolId;
  }

  /** The libp2p protocol id negotiated with multistream-select. */
  public String protocolId() {
    return protocolId;
  }

  /** Whether blocks carry a CID prefix (1.1.0 and later); in 1.0.0 every block is CIDv0. */
  public boolean hasBlockPrefixes() {
    return this != V1_0_0;
  }

  /** Whether want-have, have and dont-have exist (1.2.0). */
  public boolean hasPresences() {
    return this == V1_2_0;
  }

  /** The version named by {@code protocolId}, if it is a Bitswap protocol id. */
  public static Optional<BitswapVersion> fromProtocolId(String protocolId) {
    for (BitswapVersion v : values()) {
      if (v.protocolId.equals(protocolId)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
