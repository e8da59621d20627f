package io.mycel.content.bitswap;

import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.core.crypto.Ed25519;
import io.mycel.net.host.HostConfig;
import io.mycel.net.host.NettyHost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A rough look at Bitswap throughput between two hosts on loopback, run by hand ({@code main});
 * not a test. Arguments: MiB to fetch (default 256), leaf size in KiB (default 1024), measured
 * runs (default 3, after one unmeasured 64 MiB warm-up). Prints one JSON line per run and the
 * median.
 */
public final class BitswapThroughputCheck {
  private BitswapThroughputCheck() {}

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int leafKib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    run(64, leafKib, false);
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      rates.add(run(mib, leafKib, true));
    }
    rates.sort(null);
    System.out.printf("{\"medianMibPerSecond\":%.1f}%n", rates.get(rates.size() / 2));
  }

  private static double run(int mib, int leafKib, boolean print) throws Exception {
    TestDags.Dag dag = TestDags.build(mib * 1024 / leafKib, leafKib * 1024, 1024, mib, false);
    try (NettyHost providerHost = host(); NettyHost fetcherHost = host()) {
      MemoryBlockstore providerStore = new MemoryBlockstore();
      TestDags.store(providerStore, dag);
      try (Bitswap provider = new Bitswap(providerHost, providerStore).start();
          Bitswap fetcher = new Bitswap(fetcherHost, new MemoryBlockstore()).start()) {
        fetcherHost.dial(providerHost.listenAddresses().get(0).withPeerId(providerHost.peerId()))
            .get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        DagFetchResult result = fetcher
            .fetchDag(dag.root(), new DagPbLinkDecoder(), List.of(providerHost.peerId()))
            .get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = result.bytes() / 1048576.0 / seconds;
        if (print) {
          System.out.printf(
              "{\"mib\":%d,\"leafKiB\":%d,\"blocks\":%d,\"bytes\":%d,\"seconds\":%.3f,"
                  + "\"mibPerSecond\":%.1f}%n",
              mib, leafKib, result.blocks(), result.bytes(), seconds, rate);
        }
        return rate;
      }
    }
  }

  private static NettyHost host() {
    return new NettyHost(Ed25519.generate(), HostConfig.loopback("mycel-bench/0")).start();
  }
}
