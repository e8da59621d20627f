package io.mycel.cli;

import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.content.unixfs.ImportResult;
import io.mycel.content.unixfs.UnixfsProfile;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.sdk.AddOptions;
import io.mycel.sdk.MycelClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "add", description = "Add a file or folder as UnixFS: store its blocks, pin it, print its CID.")
final class AddCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "PATH", description = "The file or folder to add.")
  Path path;

  @Option(names = {"-r", "--recursive"}, description = "Add a folder and everything in it.")
  boolean recursive;

  @Option(names = "--profile", paramLabel = "P",
      description = "CID profile (IPIP-499): unixfs-v1-2025 (default: CIDv1, raw leaves, 1 MiB chunks, 1024 links) or unixfs-v0-2015 (CIDv0, 256 KiB chunks, 174 links).")
  String profile = UnixfsProfile.UNIXFS_V1_2025.id();

  @Option(names = "--cid-version", paramLabel = "0|1", description = "Override the profile's CID version.")
  Integer cidVersion;

  @Option(names = "--chunker", paramLabel = "size-N", description = "Override the profile's chunk size, e.g. size-262144.")
  String chunker;

  @Option(names = "--raw-leaves", arity = "0..1", paramLabel = "true|false", description = "Override whether file data goes in raw leaves.")
  Boolean rawLeaves;

  @Option(names = {"-n", "--only-hash"}, description = "Compute the CID only; store nothing.")
  boolean onlyHash;

  @Option(names = "--pin", arity = "1", paramLabel = "true|false", description = "Pin the root (default ${DEFAULT-VALUE}).")
  boolean pin = true;

  @Option(names = {"-q", "--quiet"}, description = "Print the root CID only.")
  boolean quiet;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(path)) {
      throw new IOException("no such file or folder: " + path);
    }
    if (Files.isDirectory(path) && !recursive) {
      throw new IOException(path + " is a folder; add it with -r");
    }
    ImportOptions.Builder options = ImportOptions.builder(UnixfsProfile.fromId(profile));
    if (cidVersion != null) {
      options.cidVersion(cidVersion);
    }
    if (chunker != null) {
      options.chunker(chunker);
    }
    if (rawLeaves != null) {
      options.rawLeaves(rawLeaves);
    }
    NodeHome home = homeOption.home();
    PrintWriter out = spec.commandLine().getOut();
    java.util.Optional<MycelClient> daemon = Cli.daemon(home, "add", false);
    if (daemon.isPresent()) {
      try (MycelClient client = daemon.get()) {
        return addThroughDaemon(client, out);
      }
    }
    long total = totalBytes(path);
    AtomicLong files = new AtomicLong();
    ImportResult result;
    try (Progress progress = new Progress(total, Progress.onTerminal() && !quiet && !json);
        Repo repo = Repo.open(home, home.loadConfig())) {
      ImportProgress listener = new ImportProgress() {
        @Override
        public void bytesProcessed(long done) {
          progress.update(done);
        }

        @Override
        public void entryImported(String entry, ImportResult r) {
          files.incrementAndGet();
          if (!quiet && !json && recursive) {
            progress.close();
            out.println("added " + r.cid() + " " + entry);
            out.flush();
          }
        }
      };
      result = repo.add(path, options.build(), onlyHash, pin && !onlyHash, listener);
    }
    print(out, result.cid().toString(), result.type().toString().toLowerCase(java.util.Locale.ROOT),
        result.contentSize(), result.dagSize(), files.get());
    return 0;
  }

  /** The same add, made by the running daemon: the file or folder streams to its API. */
  private int addThroughDaemon(MycelClient client, PrintWriter out) throws Exception {
    AtomicLong files = new AtomicLong();
    MycelClient.AddResult result;
    try (Progress progress = new Progress(totalBytes(path),
        Progress.onTerminal() && !quiet && !json)) {
      result = client.add(path, new AddOptions(profile, cidVersion, chunker, rawLeaves, onlyHash,
          pin), new MycelClient.AddListener() {
            @Override
            public void bytesSent(long sent) {
              progress.update(sent);
            }

            @Override
            public void entryAdded(String entry, String cid) {
              files.incrementAndGet();
              if (!quiet && !json && recursive) {
                progress.close();
                out.println("added " + cid + " " + entry);
                out.flush();
              }
            }
          });
    }
    print(out, result.cid(), result.type(), result.contentBytes(), result.dagBytes(), files.get());
    return 0;
  }

  private void print(PrintWriter out, String cid, String type, long contentBytes, long dagBytes,
      long files) throws IOException {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cid", cid);
      m.put("name", path.getFileName() == null ? "" : path.getFileName().toString());
      m.put("type", type);
      m.put("contentBytes", contentBytes);
      m.put("dagBytes", dagBytes);
      m.put("pinned", pin && !onlyHash);
      m.put("onlyHash", onlyHash);
      out.println(Cli.JSON.writeValueAsString(m));
    } else if (quiet) {
      out.println(cid);
    } else if (!recursive || files == 0) {
      out.println("added " + cid + " " + path.getFileName());
    }
  }

  private static long totalBytes(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return Files.size(path);
    }
    AtomicLong sum = new AtomicLong();
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        sum.addAndGet(attrs.size());
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
    return sum.get();
  }
}
