package io.mycel.cli;

import static io.mycel.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** add, pin and repo against a real home on disk. */
class ContentCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private String home;

  @BeforeEach
  void init() {
    home = dir.resolve("home").toString();
    assertThat(run("init", "--home", home).exitCode()).isZero();
  }

  private JsonNode json(CliTest.Result r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  @Test
  void addGivesTheKnownCidOfHelloWorld() throws Exception {
    Path file = dir.resolve("hello.txt");
    Files.writeString(file, "hello world\n", StandardCharsets.UTF_8);
    CliTest.Result r = run("add", "--home", home, "-q", file.toString());
    assertThat(r.out().trim()).isEqualTo("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
  }

  @Test
  void addStoresAndPinsAndGcKeepsOnlyPinned() throws Exception {
    Path a = dir.resolve("a.bin");
    Path b = dir.resolve("b.bin");
    byte[] bytes = new byte[3 << 20];
    new Random(1).nextBytes(bytes);
    Files.write(a, bytes);
    new Random(2).nextBytes(bytes);
    Files.write(b, bytes);

    JsonNode addedA = json(run("add", "--home", home, "--json", a.toString()));
    JsonNode addedB = json(run("add", "--home", home, "--json", b.toString()));
    assertThat(addedA.get("pinned").asBoolean()).isTrue();
    assertThat(addedA.get("contentBytes").asLong()).isEqualTo(3 << 20);
    JsonNode before = json(run("repo", "stat", "--home", home, "--json"));
    assertThat(before.get("blocks").asLong()).isEqualTo(8); // 2 × (3 raw leaves + 1 root)
    assertThat(json(run("pin", "ls", "--home", home, "--json"))).hasSize(2);

    assertThat(run("pin", "rm", "--home", home, addedB.get("cid").asText()).exitCode()).isZero();
    JsonNode gc = json(run("repo", "gc", "--home", home, "--json"));
    assertThat(gc.get("blocksRemoved").asLong()).isEqualTo(4);
    JsonNode after = json(run("repo", "stat", "--home", home, "--json"));
    assertThat(after.get("blocks").asLong()).isEqualTo(4);
    assertThat(after.get("bytes").asLong()).isGreaterThanOrEqualTo(3 << 20);
  }

  @Test
  void onlyHashStoresNothing() throws Exception {
    Path file = dir.resolve("x.bin");
    Files.write(file, new byte[1 << 20]);
    JsonNode added = json(run("add", "--home", home, "--json", "--only-hash", file.toString()));
    assertThat(added.get("onlyHash").asBoolean()).isTrue();
    assertThat(added.get("pinned").asBoolean()).isFalse();
    assertThat(json(run("repo", "stat", "--home", home, "--json")).get("blocks").asLong()).isZero();
    assertThat(json(run("pin", "ls", "--home", home, "--json"))).isEmpty();
  }

  @Test
  void profilesGiveV0AndV1Cids() throws Exception {
    Path file = dir.resolve("x.bin");
    Files.write(file, new byte[300_000]);
    String v1 = run("add", "--home", home, "-q", "-n", file.toString()).out().trim();
    String v0 = run("add", "--home", home, "-q", "-n", "--profile", "unixfs-v0-2015", file.toString()).out().trim();
    assertThat(v1).startsWith("bafk");
    assertThat(v0).startsWith("Qm");
  }

  @Test
  void aFolderNeedsRecursive() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("site/css"));
    Files.writeString(folder.resolve("a.css"), "body{}");
    CliTest.Result r = run("add", "--home", home, dir.resolve("site").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("add it with -r");
    CliTest.Result ok = run("add", "--home", home, "-r", dir.resolve("site").toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("site/css/a.css", "site/css").containsPattern("added bafy\\w+ site\\n");
  }

  @Test
  void aCarRoundTripsBetweenTwoHomes() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("site/img"));
    Files.writeString(dir.resolve("site/index.html"), "<h1>hi</h1>");
    byte[] image = new byte[2_500_000];
    new Random(5).nextBytes(image);
    Files.write(folder.resolve("a.bin"), image);
    String root = run("add", "--home", home, "-q", "-r", dir.resolve("site").toString()).out().trim();
    Path car = dir.resolve("site.car");
    JsonNode exported = json(run("car", "export", "--home", home, "--json", root, "-o", car.toString()));
    assertThat(exported.get("blocks").asLong()).isEqualTo(7); // 3 leaves + 1 file root + html + 2 dirs

    String other = dir.resolve("other").toString();
    run("init", "--home", other);
    JsonNode imported = json(run("car", "import", "--home", other, "--json", car.toString()));
    assertThat(imported.get("roots").get(0).asText()).isEqualTo(root);
    assertThat(imported.get("blocks").asLong()).isEqualTo(7);
    assertThat(json(run("pin", "ls", "--home", other, "--json")).get(0).get("cid").asText()).isEqualTo(root);
  }

  @Test
  void aTruncatedCarImportsNothingPinned() throws Exception {
    Path file = dir.resolve("f.bin");
    byte[] bytes = new byte[3_000_000];
    new Random(6).nextBytes(bytes);
    Files.write(file, bytes);
    String root = run("add", "--home", home, "-q", file.toString()).out().trim();
    Path car = dir.resolve("f.car");
    assertThat(run("car", "export", "--home", home, root, "-o", car.toString()).exitCode()).isZero();
    byte[] whole = Files.readAllBytes(car);
    Path truncated = dir.resolve("t.car");
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 1000));

    String other = dir.resolve("other").toString();
    run("init", "--home", other);
    CliTest.Result r = run("car", "import", "--home", other, truncated.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("truncated CAR");
    assertThat(json(run("pin", "ls", "--home", other, "--json"))).isEmpty();
  }

  @Test
  void catAndGetGiveBackWhatWasAdded() throws Exception {
    byte[] bytes = new byte[3_333_333];
    new Random(9).nextBytes(bytes);
    Files.write(Files.createDirectories(dir.resolve("site/data")).resolve("blob.bin"), bytes);
    Files.writeString(dir.resolve("site/index.html"), "<p>hello</p>");
    String root = run("add", "--home", home, "-q", "-r", dir.resolve("site").toString()).out().trim();

    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.OutputStream previous = CatCommand.sink;
    CatCommand.sink = captured;
    try {
      assertThat(run("cat", "--home", home, root + "/data/blob.bin").exitCode()).isZero();
      assertThat(captured.toByteArray()).isEqualTo(bytes);
      captured.reset();
      assertThat(run("cat", "--home", home, "--offset", "1048570", "--length", "20",
          root + "/data/blob.bin").exitCode()).isZero();
      assertThat(captured.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1048570, 1048590));
    } finally {
      CatCommand.sink = previous;
    }

    Path saved = dir.resolve("saved");
    JsonNode got = json(run("get", "--home", home, "--json", root, "-o", saved.toString()));
    assertThat(got.get("bytes").asLong()).isEqualTo(bytes.length + "<p>hello</p>".length());
    assertThat(Files.readAllBytes(saved.resolve("data/blob.bin"))).isEqualTo(bytes);
    assertThat(Files.readString(saved.resolve("index.html"))).isEqualTo("<p>hello</p>");
    CliTest.Result again = run("get", "--home", home, root, "-o", saved.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
    CliTest.Result outside = run("cat", "--home", home, "--offset", "99999999", root + "/index.html");
    assertThat(outside.exitCode()).isEqualTo(1);
    assertThat(outside.err()).contains("is beyond the end of");
  }

  @Test
  void getFetchesFromAPeerOverBitswap() throws Exception {
    byte[] bytes = new byte[5_000_000];
    new Random(11).nextBytes(bytes);
    Files.write(Files.createDirectories(dir.resolve("pub/docs")).resolve("big.bin"), bytes);
    Files.writeString(dir.resolve("pub/readme.txt"), "read me");
    String root = run("add", "--home", home, "-q", "-r", dir.resolve("pub").toString()).out().trim();

    io.mycel.node.NodeHome publisherHome = new io.mycel.node.NodeHome(Path.of(home));
    io.mycel.node.NodeConfig config = publisherHome.loadConfig().withListen(java.util.List.of("/ip4/127.0.0.1/tcp/0"));
    try (io.mycel.node.Repo repo = io.mycel.node.Repo.open(publisherHome, config);
        io.mycel.node.Node publisher = io.mycel.node.Node.start(publisherHome.loadKey(), config, repo.blocks())) {
      String address = publisher.dialableAddresses().get(0).toString();
      String fetcher = dir.resolve("fetcher").toString();
      run("init", "--home", fetcher);

      CliTest.Result offline = run("get", "--home", fetcher, root, "-o", dir.resolve("x").toString());
      assertThat(offline.exitCode()).isEqualTo(1);
      assertThat(offline.err()).contains("is not in the repository", "lists no bootstrap peers", "--peer");

      CliTest.Result r = run("get", "--home", fetcher, "--peer", address, root, "-o",
          dir.resolve("fetched").toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("fetched 9 of 9 blocks"); // 5 leaves, file, readme, 2 folders
      assertThat(Files.readAllBytes(dir.resolve("fetched/docs/big.bin"))).isEqualTo(bytes);
      assertThat(Files.readString(dir.resolve("fetched/readme.txt"))).isEqualTo("read me");

      CliTest.Result unknown = run("get", "--home", fetcher, "--peer", address, "--timeout-s", "2",
          "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4", "-o", dir.resolve("y").toString());
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err()).contains("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    }
  }

  @Test
  void getFindsProvidersThroughTheDhtWhenNoPeerIsGiven() throws Exception {
    byte[] bytes = new byte[2_500_000];
    new Random(12).nextBytes(bytes);
    Path file = Files.write(dir.resolve("shared.bin"), bytes);
    String root = run("add", "--home", home, "-q", file.toString()).out().trim();

    io.mycel.node.NodeConfig loopback = io.mycel.node.NodeConfig.defaults()
        .withListen(java.util.List.of("/ip4/127.0.0.1/tcp/0"));
    try (io.mycel.node.Node bootstrap = io.mycel.node.Node.start(
        io.mycel.core.crypto.Ed25519.generate(), loopback)) {
      String bootstrapAddress = bootstrap.dialableAddresses().get(0).toString();
      io.mycel.node.NodeHome publisherHome = new io.mycel.node.NodeHome(Path.of(home));
      io.mycel.node.NodeConfig publisherConfig = new io.mycel.node.NodeConfig(loopback.swarm(),
          loopback.limits(), loopback.storage(), null, java.util.List.of(bootstrapAddress));
      try (io.mycel.node.Repo repo = io.mycel.node.Repo.open(publisherHome, publisherConfig);
          io.mycel.node.Node publisher = io.mycel.node.Node.start(publisherHome.loadKey(),
              publisherConfig, repo.blocks())) {
        publisher.joined().get(20, java.util.concurrent.TimeUnit.SECONDS);
        publisher.provide(java.util.List.of(io.mycel.core.cid.Cid.parse(root)))
            .get(20, java.util.concurrent.TimeUnit.SECONDS);

        String fetcher = dir.resolve("fetcher").toString();
        run("init", "--home", fetcher);
        Path config = Path.of(fetcher, "config.json");
        Files.writeString(config, Files.readString(config)
            .replace("\"bootstrap\" : [ ]", "\"bootstrap\" : [ \"" + bootstrapAddress + "\" ]"));
        CliTest.Result r = run("get", "--home", fetcher, "--timeout-s", "30", root, "-o",
            dir.resolve("got.bin").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("from providers found in the DHT");
        assertThat(Files.readAllBytes(dir.resolve("got.bin"))).isEqualTo(bytes);
      }
    }
  }

  @Test
  void aMissingFileAndABadCidAreExplained() {
    CliTest.Result missing = run("add", "--home", home, dir.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no such file or folder");
    CliTest.Result bad = run("pin", "add", "--home", home, "notacid");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("not a CID");
    CliTest.Result absent = run("pin", "add", "--home", home,
        "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    assertThat(absent.err()).contains("is not in the repository");
  }
}
