package io.mycel.net;

/**
 * Serves one protocol on inbound streams. {@link #handle} runs on its own virtual thread and
 * may block; the host resets the stream if it throws and closes it when it returns.
 */
@FunctionalInterface
public interface ProtocolHandler {
  void handle(Stream stream) throws Exception;
}
