package io.mycel.node.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the gateway answers with an error page: the status says whose fault it is. */
final class GatewayException extends Exception {
  private static final long serialVersionUID = 1L;

  private final HttpResponseStatus status;

  GatewayException(HttpResponseStatus status, String message) {
    super(message);
    this.status = status;
  }

  HttpResponseStatus status() {
    return status;
  }
}
