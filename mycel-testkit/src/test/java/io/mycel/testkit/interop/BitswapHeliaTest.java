package io.mycel.testkit.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.bitswap.Bitswap;
import io.mycel.content.bitswap.DagFetchResult;
import io.mycel.content.bitswap.Ledger;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportResult;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.host.NettyHost;
import io.mycel.net.testing.TestHosts;
import io.mycel.testkit.js.HeliaPeer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bitswap between Mycel and a real Helia node (helia 7, @helia/unixfs 8), both directions. */
@Tag("interop")
class BitswapHeliaTest {
  private static final Duration WAIT = Duration.ofMinutes(2);

  @RegisterExtension final TestHosts hosts = new TestHosts();
  private HeliaPeer helia;
  private Bitswap bitswap;

  @BeforeEach
  void startHelia() {
    HeliaPeer.requireAvailable();
    helia = HeliaPeer.start();
  }

  @AfterEach
  void stop() {
    if (bitswap != null) {
      bitswap.close();
    }
    if (helia != null) {
      helia.close();
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private NettyHost mycel(MemoryBlockstore store) {
    NettyHost host = hosts.start();
    bitswap = new Bitswap(host, store).start();
    return host;
  }

  @Test
  void mycelFetchesTheDagOfATwentyMibFileHeliaAdded() throws Exception {
    HeliaPeer.AddedFile added = await(helia.addFile(20, 7));
    MemoryBlockstore store = new MemoryBlockstore();
    NettyHost host = mycel(store);
    host.dial(Multiaddr.parse(helia.addr())).get(30, TimeUnit.SECONDS);
    PeerId heliaId = PeerId.parse(helia.peerId());
    Cid root = Cid.parse(added.cid());

    DagFetchResult fetched =
        await(bitswap.fetchDag(root, new DagPbLinkDecoder(), List.of(heliaId)));

    // Helia's default layout: 1 MiB raw leaves under one dag-pb root.
    assertThat(fetched.blocks()).isEqualTo(21);
    assertThat(fetched.fetched()).isEqualTo(21);
    MessageDigest sha256 = sha256();
    long length;
    try (InputStream file = new DigestInputStream(new UnixfsExporter(store).open(root), sha256)) {
      length = file.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertThat(length).isEqualTo(added.length()).isEqualTo(20L * 1024 * 1024);
    assertThat(HexFormat.of().formatHex(sha256.digest())).isEqualTo(added.sha256());
    Ledger ledger = bitswap.ledger(heliaId);
    assertThat(ledger.blocksReceived()).isGreaterThanOrEqualTo(21);
    assertThat(ledger.bytesReceived()).isGreaterThanOrEqualTo(fetched.bytes());
    assertThat(bitswap.violations(heliaId)).isZero();
  }

  @Test
  void heliaFetchesAFolderMycelServes(@TempDir Path folder) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    SplittableRandom random = new SplittableRandom(11);
    files.put("hello.txt", "hello from mycel\n".getBytes(StandardCharsets.UTF_8));
    files.put("big.bin", bytes(random, 3 * 1024 * 1024 + 123));
    files.put("docs/readme.md", "# a folder served over Bitswap\n".getBytes(StandardCharsets.UTF_8));
    files.put("docs/deeper/data.bin", bytes(random, 700 * 1024));
    files.put("empty", new byte[0]);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = folder.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
    }
    MemoryBlockstore store = new MemoryBlockstore();
    ImportResult imported = new UnixfsImporter(store, ImportOptions.defaults()).importPath(folder);
    NettyHost host = mycel(store);
    await(helia.dial(host.listenAddresses().get(0).withPeerId(host.peerId()).toString()));

    HeliaPeer.Fetched fetched = await(helia.fetch(imported.cid().toString()));

    assertThat(fetched.type()).isEqualTo("directory");
    Map<String, String> expected = files.entrySet().stream().collect(Collectors.toMap(
        Map.Entry::getKey, e -> hex(e.getValue()), (a, b) -> a, TreeMap::new));
    Map<String, String> read = fetched.files().stream().collect(Collectors.toMap(
        HeliaPeer.FetchedFile::path, HeliaPeer.FetchedFile::sha256, (a, b) -> a, TreeMap::new));
    assertThat(read).isEqualTo(expected);
    Ledger ledger = bitswap.ledger(PeerId.parse(helia.peerId()));
    assertThat(ledger.bytesSent()).isGreaterThanOrEqualTo(
        files.values().stream().mapToLong(b -> b.length).sum());
  }

  private static byte[] bytes(SplittableRandom random, int length) {
    byte[] data = new byte[length];
    random.nextBytes(data);
    return data;
  }

  private static String hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
