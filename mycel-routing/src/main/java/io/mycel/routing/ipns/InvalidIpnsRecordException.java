package io.mycel.routing.ipns;

import io.mycel.net.ProtocolViolationException;

/** An IPNS record received from a peer failed validation; {@link #reason()} says which rule. */
public final class InvalidIpnsRecordException extends ProtocolViolationException {

  /** The validation rule that a record broke. */
  public enum Reason {
    /** Larger than the record size limit. */
    TOO_LARGE,
    /** Not a decodable protobuf, or its {@code data} is not the expected DAG-CBOR map. */
    MALFORMED,
    /** A required field ({@code signatureV2}, {@code data}) is absent. */
    MISSING_FIELD,
    /** No public key is inlined in the name and none is embedded in the record. */
    NO_PUBLIC_KEY,
    /** The embedded public key does not belong to the name. */
    KEY_MISMATCH,
    /** {@code signatureV2} does not verify. */
    BAD_SIGNATURE,
    /** A legacy V1 field differs from its copy in the signed {@code data}. */
    V1_MISMATCH,
    /** A validity type other than EOL. */
    UNSUPPORTED_VALIDITY_TYPE,
    /** The end of life has passed. */
    EXPIRED
  }

  private final Reason reason;

  public InvalidIpnsRecordException(Reason reason, String message) {
    super("invalid IPNS record (" + reason + "): " + message);
    this.reason = reason;
  }

  public InvalidIpnsRecordException(Reason reason, String message, Throwable cause) {
    super("invalid IPNS record (" + reason + "): " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
