package io.mycel.core.crypto;

/** A key of a type, curve or size that Mycel cannot use. */
public class UnsupportedKeyTypeException extends IllegalArgumentException {

  public UnsupportedKeyTypeException(String message) {
    super(message);
  }
}
