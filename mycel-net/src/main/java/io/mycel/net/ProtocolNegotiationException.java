package io.mycel.net;

import java.util.List;

/** multistream-select found no protocol both sides support. */
public class ProtocolNegotiationException extends MycelNetException {
  private final List<String> offered;

  public ProtocolNegotiationException(List<String> offered) {
    super("remote peer supports none of " + offered);
    this.offered = List.copyOf(offered);
  }

  public List<String> offered() {
    return offered;
  }
}
