package io.mycel.net.host;

import io.mycel.net.ProtocolHandler;
import io.mycel.net.ProtocolRegistry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A thread-safe registry that tells listeners when the protocol set changes (identify push). */
public final class DefaultProtocolRegistry implements ProtocolRegistry {
  private final ConcurrentSkipListMap<String, ProtocolHandler> handlers = new ConcurrentSkipListMap<>();
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

  @Override
  public void register(String protocolId, ProtocolHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (protocolId == null || protocolId.isEmpty() || !protocolId.startsWith("/")) {
      throw new IllegalArgumentException("protocol ids start with '/': " + protocolId);
    }
    if (handlers.put(protocolId, handler) == null) {
      changeListeners.forEach(Runnable::run);
    }
  }

  @Override
  public void unregister(String protocolId) {
    if (handlers.remove(protocolId) != null) {
      changeListeners.forEach(Runnable::run);
    }
  }

  @Override
  public Optional<ProtocolHandler> handler(String protocolId) {
    return Optional.ofNullable(handlers.get(protocolId));
  }

  @Override
  public List<String> protocols() {
    return List.copyOf(handlers.keySet());
  }

  /** Runs {@code listener} after each change of the protocol set. */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }
}
