package io.mycel.net.multistream.testing;

import io.mycel.net.ProtocolHandler;
import io.mycel.net.ProtocolRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link ProtocolRegistry} in a map. */
public final class MemoryRegistry implements ProtocolRegistry {

  private final Map<String, ProtocolHandler> handlers = new ConcurrentSkipListMap<>();

  @Override
  public void register(String protocolId, ProtocolHandler handler) {
    handlers.put(protocolId, handler);
  }

  @Override
  public void unregister(String protocolId) {
    handlers.remove(protocolId);
  }

  @Override
  public Optional<ProtocolHandler> handler(String protocolId) {
    return Optional.ofNullable(handlers.get(protocolId));
  }

  @Override
  public List<String> protocols() {
    return List.copyOf(handlers.keySet());
  }
}
