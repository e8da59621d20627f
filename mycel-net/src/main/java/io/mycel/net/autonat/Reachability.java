package io.mycel.net.autonat;

/** Whether other peers can dial this node, as far as AutoNAT answers tell. */
public enum Reachability {
  /** Not enough answers yet, or only answers that carry no information. */
  UNKNOWN,
  /** Peers dialed one of this node's addresses back. */
  PUBLIC,
  /** Peers tried this node's addresses and could not dial any. */
  PRIVATE
}
