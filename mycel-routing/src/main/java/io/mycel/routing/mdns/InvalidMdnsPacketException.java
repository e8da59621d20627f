package io.mycel.routing.mdns;

/** A packet received on the mDNS group that is not a usable DNS message; it is ignored. */
public final class InvalidMdnsPacketException extends Exception {
  public InvalidMdnsPacketException(String message) {
    super(message);
  }
}
