package io.mycel.node.api;

import io.mycel.core.multibase.Multibase;
import io.mycel.net.Connection;
import io.mycel.node.Daemon;
import io.mycel.node.Node;
import io.mycel.node.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's own routes under {@code /api/v0/}, each documented in {@code docs/api/openapi.yaml}.
 * Reads are GET, changes are POST.
 */
public final class NodeApi {
  private final Daemon daemon;

  private NodeApi(Daemon daemon) {
    this.daemon = daemon;
  }

  /** Registers the node's routes for {@code daemon} on {@code routes}. */
  public static void register(ApiRoutes routes, Daemon daemon) {
    NodeApi api = new NodeApi(daemon);
    String p = ApiServer.PREFIX;
    routes.add("GET", p + "id", request -> api.id());
    routes.add("GET", p + "peers", request -> api.peers());
  }

  private ApiResponse id() {
    Node node = daemon.node();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("peerId", node.peerId().toString());
    result.put("peerIdCid", node.peerId().toCid().toString());
    result.put("publicKey", Multibase.encode(Multibase.BASE64,
        node.host().privateKey().publicKey().marshal()));
    result.put("agentVersion", Version.agent());
    result.put("swarmAddresses", node.dialableAddresses().stream().map(Object::toString).toList());
    result.put("apiUrl", daemon.apiUrl());
    result.put("gatewayUrl", daemon.gatewayUrl());
    result.put("home", daemon.home().dir().toString());
    result.put("pid", ProcessHandle.current().pid());
    return ApiResponse.json(result);
  }

  private ApiResponse peers() {
    List<Map<String, Object>> peers = new ArrayList<>();
    for (Connection connection : daemon.node().host().connections()) {
      Map<String, Object> peer = new LinkedHashMap<>();
      peer.put("peerId", connection.remotePeer().toString());
      peer.put("address", connection.remoteAddress().toString());
      peer.put("direction", connection.isInitiator() ? "outbound" : "inbound");
      peer.put("streams", connection.streamCount());
      peers.add(peer);
    }
    return ApiResponse.json(Map.of("peers", peers));
  }
}
