package io.mycel.net;

import java.util.List;
import java.util.Optional;

/** The protocols a host answers on inbound streams. Modules register theirs at start-up. */
public interface ProtocolRegistry {

  /** Registers {@code handler} for {@code protocolId}; replaces an earlier registration. */
  void register(String protocolId, ProtocolHandler handler);

  void unregister(String protocolId);

  Optional<ProtocolHandler> handler(String protocolId);

  /** Registered protocol ids, sorted. */
  List<String> protocols();
}
