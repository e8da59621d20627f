package io.mycel.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.node.NetStatus;
import io.mycel.node.NodeHome;
import io.mycel.sdk.MycelClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "net", description = "The running node's place in the network: reachability and addresses.",
    subcommands = {NetCommand.Status.class})
final class NetCommand {

  @Command(name = "status", description = {
      "Show the running daemon's reachability (AutoNAT: public, private or unknown, with its"
          + " confidence), the addresses peers observe it at, its listen addresses and connections,"
          + " the relay reservations it holds, hole punches, and what it relays for others."})
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    private static final ObjectMapper STATUS_JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      Optional<NetStatus> status;
      Optional<MycelClient> api = Cli.daemon(home, "net status", true);
      if (api.isPresent()) {
        try (MycelClient client = api.get()) {
          status = Optional.of(STATUS_JSON.treeToValue(client.netStatus(), NetStatus.class));
        }
      } else {
        // A daemon without an API still keeps its status file up to date.
        status = NetStatus.read(home);
      }
      if (status.isEmpty()) {
        spec.commandLine().getErr().println("error: no Mycel daemon is running on " + home.dir()
            + "; start one with 'mycel daemon'");
        return 1;
      }
      NetStatus s = status.get();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Cli.JSON.writeValueAsString(s));
        return 0;
      }
      out.println("peer id:       " + s.peerId());
      out.println("reachability:  " + s.reachability().toLowerCase()
          + (s.reachability().equals("UNKNOWN") ? "" : " (confidence " + s.confidence() + ")")
          + (s.publicAddress() == null ? "" : ", dialed back at " + s.publicAddress()));
      out.println("connections:   " + s.connections() + " to " + s.peers() + " peers, "
          + s.autonatServers() + " of them AutoNAT servers");
      out.println("relayed:       " + s.relayedConnections() + " of the connections run through a relay");
      out.println("hole punches:  " + s.holePunches() + " succeeded, " + s.holePunchFailures() + " failed");
      out.println("autonat served: " + s.autonatAnswered() + " dial-backs, " + s.autonatRefused() + " refused");
      if (s.relay() != null) {
        out.println("relay service: " + s.relay().reservations() + " reservations, " + s.relay().circuits()
            + " open circuits, " + s.relay().relayedBytes() + " bytes relayed");
      }
      out.println("reservations held:" + (s.reservations().isEmpty() ? " none" : ""));
      for (NetStatus.Reservation r : s.reservations()) {
        out.println("  on " + r.relay() + " until " + r.expires());
        r.addresses().forEach(a -> out.println("    " + a));
      }
      list(out, "observed addresses", s.observedAddresses());
      list(out, "listen addresses", s.listenAddresses());
      out.println("as of " + s.updatedAt());
      return 0;
    }

    private static void list(PrintWriter out, String title, List<String> items) {
      out.println(title + ":" + (items.isEmpty() ? " none" : ""));
      items.forEach(item -> out.println("  " + item));
    }
  }
}
