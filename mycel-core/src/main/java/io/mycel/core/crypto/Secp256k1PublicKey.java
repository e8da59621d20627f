package io.mycel.core.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A Secp256k1 public key: the 33-byte compressed point (SEC 1). Signatures are DER-encoded
 * ECDSA over SHA-256, as the libp2p peer-ids spec describes.
 *
 * <p>The JDK no longer ships secp256k1, so the curve and ECDSA come from Bouncy Castle's
 * lightweight API; no JCA provider is registered.
 */
final class Secp256k1PublicKey implements PublicKey {

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
  /** SEQUENCE of two INTEGERs of at most 33 bytes each, all with short-form lengths. */
  private static final int MAX_SIGNATURE_LENGTH = 72;

  private final byte[] compressed;
  private final ECPublicKeyParameters key;

  private Secp256k1PublicKey(byte[] compressed, ECPublicKeyParameters key) {
    this.compressed = compressed.clone();
    this.key = key;
  }

  /**
   * The key with the given compressed point.
   *
   * @throws IllegalArgumentException if the bytes are not a compressed point on the curve
   */
  static Secp256k1PublicKey fromCompressed(byte[] data) {
    if (data.length != 33 || (data[0] != 0x02 && data[0] != 0x03)) {
      throw new IllegalArgumentException("Secp256k1 public key must be a 33-byte compressed point");
    }
    ECCurve curve = CURVE.getCurve();
    if (!curve.isValidFieldElement(new BigInteger(1, Arrays.copyOfRange(data, 1, 33)))) {
      throw new IllegalArgumentException("Secp256k1 point x coordinate out of range");
    }
    ECPoint point;
    try {
      point = curve.decodePoint(data);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Secp256k1 public key is not on the curve", e);
    }
    return new Secp256k1PublicKey(data, new ECPublicKeyParameters(point, DOMAIN));
  }

  @Override
  public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override
  public byte[] raw() {
    return compressed.clone();
  }

  @Override
  public boolean verify(byte[] data, byte[] signature) {
    BigInteger[] rs = decodeSignature(signature);
    if (rs == null) {
      return false;
    }
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, key);
    return signer.verifySignature(sha256(data), rs[0], rs[1]);
  }

  /**
   * The (r, s) of a strict DER signature: a SEQUENCE of exactly two INTEGERs, each in minimal
   * form, with nothing after it; {@code null} for anything else. Range checks on r and s are
   * left to the signer.
   */
  private static BigInteger[] decodeSignature(byte[] der) {
    if (der.length > MAX_SIGNATURE_LENGTH) {
      return null;
    }
    try {
      if (!(ASN1Primitive.fromByteArray(der) instanceof ASN1Sequence seq)
          || seq.size() != 2
          || !(seq.getObjectAt(0) instanceof ASN1Integer r)
          || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
        return null;
      }
      BigInteger[] rs = {r.getValue(), s.getValue()};
      // Re-encoding from the values, not the parsed objects, rules out any non-minimal form.
      byte[] canonical = new DERSequence(new ASN1Encodable[] {
          new ASN1Integer(rs[0]), new ASN1Integer(rs[1])}).getEncoded(ASN1Encoding.DER);
      return Arrays.equals(canonical, der) ? rs : null;
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      return null;
    }
  }

  private static byte[] sha256(byte[] data) {
    SHA256Digest digest = new SHA256Digest();
    digest.update(data, 0, data.length);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  @Override
  public byte[] marshal() {
    return Keys.marshalPublic(KeyType.SECP256K1, compressed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secp256k1PublicKey other && Arrays.equals(compressed, other.compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  @Override
  public String toString() {
    return "Secp256k1PublicKey[" + HexFormat.of().formatHex(compressed) + "]";
  }
}
