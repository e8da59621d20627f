package io.mycel.cli;

import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multibase.Multibase;
import io.mycel.core.peer.PeerId;
import io.mycel.node.DaemonFile;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.node.Version;
import io.mycel.sdk.MycelClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "id", description = "Show this node's peer id, public key and addresses.")
final class IdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HomeOption homeOption;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    NodeHome home = homeOption.home();
    PrivateKey key = home.loadKey();
    NodeConfig config = home.loadConfig();
    PeerId peer = PeerId.fromPublicKey(key.publicKey());
    Optional<DaemonFile.Info> daemon = DaemonFile.read(home);
    List<String> addresses = daemon.map(DaemonFile.Info::swarmAddresses)
        .orElseGet(() -> config.swarm().listen().stream()
            .map(a -> Multiaddr.parse(a).withPeerId(peer).toString())
            .toList());
    String apiUrl = daemon.map(DaemonFile.Info::apiUrl).orElse(null);
    String gatewayUrl = daemon.map(DaemonFile.Info::gatewayUrl).orElse(null);
    Optional<MycelClient> api = Cli.daemon(home, "id", true);
    if (api.isPresent()) {
      // The running daemon knows its addresses best (they change as it learns them).
      try (MycelClient client = api.get()) {
        MycelClient.Id id = client.id();
        addresses = id.swarmAddresses();
        apiUrl = id.apiUrl();
        gatewayUrl = id.gatewayUrl();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("peerId", peer.toString());
      result.put("peerIdCid", peer.toCid().toString());
      result.put("publicKey", Multibase.encode(Multibase.BASE64, key.publicKey().marshal()));
      result.put("addresses", addresses);
      result.put("daemonRunning", daemon.isPresent());
      result.put("apiUrl", apiUrl);
      result.put("gatewayUrl", gatewayUrl);
      result.put("agentVersion", Version.agent());
      result.put("home", home.dir().toString());
      out.println(Cli.JSON.writeValueAsString(result));
    } else {
      out.println("peer id:    " + peer);
      out.println("as CID:     " + peer.toCid());
      out.println("agent:      " + Version.agent());
      out.println("home:       " + home.dir());
      out.println(daemon.isPresent()
          ? "addresses (daemon running, pid " + daemon.get().pid() + "):"
          : "addresses (configured; no daemon running):");
      addresses.forEach(a -> out.println("  " + a));
      if (apiUrl != null) {
        out.println("API:        " + apiUrl);
      }
      if (gatewayUrl != null) {
        out.println("gateway:    " + gatewayUrl);
      }
    }
    return 0;
  }
}
