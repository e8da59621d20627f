package io.mycel.net;

import io.mycel.core.peer.PeerId;

/** The remote peer authenticated as a different peer than the one dialed. */
public class PeerIdMismatchException extends ProtocolViolationException {
  public PeerIdMismatchException(PeerId expected, PeerId actual) {
    super("dialed " + expected + " but the remote peer is " + actual);
  }
}
