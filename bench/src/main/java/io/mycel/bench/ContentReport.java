package io.mycel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joins the figures of one {@code bench/run-content}: prints the Markdown table for
 * docs/benchmarks.md, each Mycel figure next to the floor or peer it is compared with, and
 * writes every figure together as one JSON file.
 *
 * <p>Usage: {@code ContentReport OUT.json CONTENT.json HELIA-RUN.json...}: {@code CONTENT.json}
 * from {@link ContentBench}, then the runs of {@code interop/bench-content.mjs} in any order
 * (add runs carry {@code heliaAddMBps}, fetch runs {@code heliaFetchMiBps}); each Helia figure
 * is the median of its runs.
 */
public final class ContentReport {
  public static void main(String[] args) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    JsonNode mycel = mapper.readTree(new File(args[1]));
    List<JsonNode> addRuns = new ArrayList<>();
    List<JsonNode> fetchRuns = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      JsonNode run = mapper.readTree(new File(args[i]));
      if (run.has("heliaAddMBps")) {
        addRuns.add(run);
      } else if (run.has("heliaFetchMiBps")) {
        fetchRuns.add(run);
      } else {
        throw new IOException(args[i] + " holds no Helia figure");
      }
    }
    if (addRuns.isEmpty() || fetchRuns.isEmpty()) {
      throw new IOException("need at least one Helia add run and one Helia fetch run");
    }
    ObjectNode helia = mapper.createObjectNode();
    helia.put("heliaVersion", addRuns.get(0).path("heliaVersion").asText());
    helia.put("libp2pVersion", fetchRuns.get(0).path("libp2pVersion").asText());
    helia.put("node", addRuns.get(0).path("node").asText());
    helia.put("heliaAddMBps", median(addRuns, "heliaAddMBps"));
    helia.put("addCid", addRuns.get(0).path("cid").asText());
    helia.put("heliaFetchMiBps", median(fetchRuns, "heliaFetchMiBps"));
    helia.put("fetchMiB", fetchRuns.get(0).path("mib").asInt());
    helia.put("fetchProcesses", fetchRuns.get(0).path("processes").asInt());
    ObjectNode all = mapper.createObjectNode();
    all.set("mycel", mycel);
    all.set("helia", helia);
    ArrayNode runs = all.putArray("heliaRuns");
    addRuns.forEach(runs::add);
    fetchRuns.forEach(runs::add);
    mapper.writeValue(new File(args[0]), all);

    String heliaName = "Helia " + helia.get("heliaVersion").asText();
    long addMib = mycel.get("addBytes").asLong() >> 20;
    double add = mycel.get("mycelAddMBps").asDouble();
    double onlyHash = mycel.get("mycelOnlyHashMBps").asDouble();
    double openssl = mycel.get("opensslSha256MBps").asDouble();
    double dd = mycel.get("ddFsyncMBps").asDouble();
    double heliaAdd = helia.get("heliaAddMBps").asDouble();
    int fetchMib = mycel.get("fetchMiB").asInt();
    int processes = helia.get("fetchProcesses").asInt();
    int providers = mycel.get("limitedProviders").asInt();
    double limit = mycel.get("providerLimitMiBps").asDouble();

    StringBuilder out = new StringBuilder();
    out.append("| figure | Mycel | compared with | its figure | Mycel / it |\n");
    out.append("|---|---|---|---|---|\n");
    String addName = String.format("add %d MiB into the on-disk store (fsync, pin), MB/s", addMib);
    row(out, addName, add, "`openssl dgst -sha256` (hashing floor)", openssl, false);
    row(out, addName, add, "`dd bs=1M conv=fsync` (disk-write floor)", dd, false);
    row(out, addName, add, heliaName + " `addByteStream`, in-memory store", heliaAdd, true);
    String onlyHashName = String.format("add %d MiB, only-hash (nothing stored), MB/s", addMib);
    row(out, onlyHashName, onlyHash, "`openssl dgst -sha256` (hashing floor)", openssl, false);
    row(out, onlyHashName, onlyHash, heliaName + " `addByteStream`, in-memory store", heliaAdd,
        true);
    row(out, String.format("Bitswap fetch of %d MiB, Mycel → Mycel (one JVM), MiB/s", fetchMib),
        mycel.get("mycelFetchMiBps").asDouble(),
        String.format("%s → %s (%s)", heliaName, heliaName,
            processes == 2 ? "two processes" : "one process"),
        helia.get("heliaFetchMiBps").asDouble(), true);
    row(out, String.format("Bitswap fetch of %d MiB from %d providers held to %.0f MiB/s each, "
            + "MiB/s", fetchMib, providers, limit),
        mycel.get("manyLimitedProvidersMiBps").asDouble(), "the same from 1 such provider",
        mycel.get("oneLimitedProviderMiBps").asDouble(), true);
    out.append('\n');
    String mycelCid = mycel.get("addCid").asText();
    String heliaCid = helia.get("addCid").asText();
    out.append(mycelCid.equals(heliaCid)
        ? String.format("Both adds give the same root CID: %s.%n", mycelCid)
        : String.format("The adds give different root CIDs: Mycel %s, Helia %s.%n", mycelCid,
            heliaCid));
    JsonNode cpu = mycel.path("cpuSeconds");
    out.append(String.format("CPU seconds per run, all threads of every core (the machine has %d):"
            + " Mycel add %.2f, Mycel only-hash %.2f, openssl %.2f, dd %.2f; Mycel → Mycel fetch"
            + " %.2f over %.2f s, both ends together.%n",
        mycel.path("cores").asInt(), cpu.path("mycelAddMBps").asDouble(Double.NaN),
        cpu.path("mycelOnlyHashMBps").asDouble(Double.NaN),
        cpu.path("opensslSha256MBps").asDouble(Double.NaN),
        cpu.path("ddFsyncMBps").asDouble(Double.NaN),
        cpu.path("mycelFetchMiBps").asDouble(Double.NaN),
        fetchMib / mycel.get("mycelFetchMiBps").asDouble()));
    System.out.print(out);
  }

  private static double median(List<JsonNode> runs, String key) {
    double[] sorted = runs.stream().mapToDouble(r -> r.path(key).asDouble()).toArray();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** A row; a peer's ratio is written as a factor (2.31×), a floor's as a fraction (0.52). */
  private static void row(StringBuilder out, String name, double mine, String against,
      double theirs, boolean peer) {
    double ratio = mine / theirs;
    out.append(String.format("| %s | %.0f | %s | %.0f | %s |%n", name, mine, against, theirs,
        peer ? String.format("%.2f×", ratio) : String.format("%.2f", ratio)));
  }
}
