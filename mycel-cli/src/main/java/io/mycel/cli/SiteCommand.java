package io.mycel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.node.gateway.GatewayOptions;
import io.mycel.node.site.Site;
import io.mycel.node.site.SiteFolder;
import io.mycel.node.site.SiteUrls;
import io.mycel.node.site.Sites;
import io.mycel.sdk.MycelClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "site", description = "Websites: publish a folder under its own IPNS name, list and remove sites.",
    subcommands = {SiteCommand.Publish.class, SiteCommand.Ls.class, SiteCommand.Rm.class})
final class SiteCommand {
  static final String NOT_ANNOUNCED =
      "the name is kept in this home only for now; the daemon announces it in the DHT when it starts";

  @Command(name = "publish", description = {
      "Add a folder, pin it and point the site's own IPNS name (key site-NAME) at it.",
      "Prints the site's URLs. Publishing again under the same name moves the name",
      "to the new version. Without a running daemon it joins the DHT through the",
      "configured bootstrap peers; with none reachable the record is kept here and",
      "the daemon announces it when it starts."})
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "DIR", description = "The folder to publish (its index.html is the home page).")
    Path folder;

    @Option(names = "--name", paramLabel = "SITE",
        description = "The site's name (default: the folder's name, lower-cased).")
    String name;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      String siteName = Sites.checkName(name != null ? name : Sites.defaultName(folder));
      Path source = folder.toAbsolutePath().normalize();
      var daemon = Cli.daemon(home, "site publish", false);
      if (daemon.isPresent()) {
        // The daemon reads the folder itself: it runs on this machine, as this user.
        JsonNode site;
        try (MycelClient client = daemon.get()) {
          site = client.sitePublish(source, siteName);
        }
        printPublished(spec, site, json);
        return 0;
      }
      SiteFolder.check(source); // before joining the network, which may take a while
      NodeConfig config = home.loadConfig();
      Sites.Published published;
      PrintWriter err = spec.commandLine().getErr();
      try (Repo repo = Repo.open(home, config); Node node = startNode(home, config, err)) {
        published = new Sites(home, repo).publish(node, source, siteName, source.toString());
      }
      Map<String, Object> result = published.site().describe(urls(published.site(), config));
      published.previousCid().ifPresent(c -> result.put("previousCid", c));
      printPublished(spec, Cli.JSON.valueToTree(result), json);
      return 0;
    }
  }

  @Command(name = "ls", description = "List the sites this home publishes, with their URLs.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      List<JsonNode> sites = new ArrayList<>();
      var daemon = Cli.daemon(home, "site ls", true);
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          client.siteLs().forEach(sites::add);
        }
      } else {
        NodeConfig config = home.loadConfig();
        for (Site site : readSites(home)) {
          sites.add(Cli.JSON.valueToTree(site.describe(urls(site, config))));
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Cli.JSON.writeValueAsString(sites));
        return 0;
      }
      if (sites.isEmpty()) {
        out.println("no sites yet; publish a folder with `mycel site publish DIR`");
        return 0;
      }
      for (JsonNode site : sites) {
        JsonNode urls = site.path("urls");
        out.println(site.path("name").asText() + "  " + urls.path("path").asText() + "  /ipfs/"
            + site.path("cid").asText() + (site.path("announced").asBoolean() ? "" : "  (not announced yet)"));
        String gateway = urls.path("gateway").asText("");
        out.println("  " + (gateway.isEmpty() ? urls.path("path").asText() : gateway));
      }
      return 0;
    }
  }

  @Command(name = "rm", description = {
      "Forget a site and unpin its content.",
      "Its key is kept (publishing the name again gives the same address) unless",
      "--remove-key. The last record stays valid in the network until it expires."})
  static final class Rm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "SITE", description = "The site's name.")
    String name;

    @Option(names = "--remove-key", description = "Also delete the site's key: its address is gone for good.")
    boolean removeKey;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      Sites.checkName(name);
      String cid;
      var daemon = Cli.daemon(home, "site rm", false);
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          cid = client.siteRm(name, removeKey).path("cid").asText();
        }
      } else {
        try (Repo repo = Repo.open(home, home.loadConfig())) {
          cid = new Sites(home, repo).remove(name, removeKey).cid();
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("removed", name);
        result.put("cid", cid);
        result.put("keyRemoved", removeKey);
        out.println(Cli.JSON.writeValueAsString(result));
      } else {
        out.println("removed site " + name + " (/ipfs/" + cid + " unpinned)"
            + (removeKey ? " and its key" : "; key " + Sites.KEY_PREFIX + name + " kept"));
      }
      return 0;
    }
  }

  private static List<Site> readSites(NodeHome home) throws IOException {
    return Sites.readFile(home.dir().resolve(Sites.FILE));
  }

  /**
   * A node to publish through: joined through the bootstrap peers when there are some and one
   * answers, else a node on its own, whose records stay in this home until the daemon starts.
   */
  private static Node startNode(NodeHome home, NodeConfig config, PrintWriter err) throws IOException {
    if (!config.bootstrap().isEmpty()) {
      try {
        return NameCommand.startJoined(home, config);
      } catch (IOException e) {
        err.println("warning: " + e.getMessage());
      }
    }
    return Node.start(home.loadKey(),
        config.withListen(List.of("/ip4/127.0.0.1/tcp/0")).withBootstrap(List.of()));
  }

  static SiteUrls urls(Site site, NodeConfig config) {
    Optional<InetSocketAddress> gateway = Optional.empty();
    if (!config.gateway().listen().isEmpty()) {
      try {
        gateway = Optional.of(Multiaddr.parse(config.gateway().listen()).toSocketAddress());
      } catch (RuntimeException e) {
        gateway = Optional.empty();
      }
    }
    return SiteUrls.of(site, gateway.orElse(null), GatewayOptions.DEFAULT_SUBDOMAIN_HOST);
  }

  /** Prints a published site (as {@link Site#describe} shows it) for a person or as JSON. */
  static void printPublished(CommandSpec spec, JsonNode site, boolean json) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Cli.JSON.writeValueAsString(site));
    } else {
      JsonNode urls = site.path("urls");
      out.println((site.has("previousCid") ? "Updated" : "Published") + " site "
          + site.path("name").asText() + ": /ipfs/" + site.path("cid").asText());
      out.println("  name         " + urls.path("path").asText() + " (sequence " + site.path("sequence").asText()
          + ", stored on " + site.path("peers").asInt() + " DHT peer(s))");
      if (!urls.path("gateway").asText("").isEmpty()) {
        out.println("  gateway      " + urls.path("gateway").asText());
      }
      if (!urls.path("subdomain").asText("").isEmpty()) {
        out.println("  subdomain    " + urls.path("subdomain").asText());
      }
      out.println("  any gateway  " + urls.path("path").asText() + "  (e.g. https://GATEWAY"
          + urls.path("path").asText() + "/)");
    }
    if (!site.path("announced").asBoolean()) {
      spec.commandLine().getErr().println("note: " + NOT_ANNOUNCED);
    }
  }
}
