package io.mycel.node.api;

/**
 * Serves one API route. Runs on a virtual thread, so it may block; it throws an
 * {@link ApiException} to answer with an error status, an {@link IllegalArgumentException} for
 * 400, anything else for 500.
 */
@FunctionalInterface
public interface ApiHandler {
  ApiResponse handle(ApiRequest request) throws Exception;
}
