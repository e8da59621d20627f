package io.mycel.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycel.routing.kad.KadConfig;
import io.mycel.testkit.sim.DhtSimulation.Kind;
import io.mycel.testkit.sim.DhtSimulation.Report;
import io.mycel.testkit.sim.DhtSimulation.Summary;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unmodified Kademlia DHT on 200 simulated nodes with 2-10 ms links: lookups find their
 * targets and providers, in few hops, before and while a fifth of the nodes leaves.
 */
class DhtSimulationTest {

  private static final int NODES = 200;

  @Test
  @Timeout(60)
  void lookupsSucceedInFewHopsWithAndWithoutChurn() throws Exception {
    DhtSimulation.Params params =
        DhtSimulation.Params.of(NODES)
            .withNetwork(
                SimConfig.DEFAULT
                    .withSeed(7)
                    .withLatency(Duration.ofMillis(2), Duration.ofMillis(10),
                        SimConfig.LatencyModel.PER_PAIR)
                    .withUnreachableDialTimeout(Duration.ofMillis(300)))
            .withKad(KadConfig.DEFAULT.withQueryTimeout(Duration.ofSeconds(1)))
            .withContent(20, 50)
            .withLookups(100, 20)
            .withChurn(0.2);
    Report report = DhtSimulation.run(params, line -> {});

    assertEquals(NODES / 5, report.departed(), "a fifth of the nodes left");
    assertTrue(report.minTableSize() >= 10, "every node knows peers after joining: " + report);
    assertTrue(report.providerReplicas() >= 15, "provider records reach the closest peers");
    assertEquals(0, report.unparsedChunks(), "every traced chunk is one kad message");
    // log2(200) = 7.6: a lookup that needs more than 4 hops is not using the table.
    for (boolean churn : new boolean[] {false, true}) {
      for (Kind kind : Kind.values()) {
        Summary s = report.summary(kind, churn);
        assertEquals(100, s.lookups());
        assertEquals(s.lookups(), s.terminated(), "every lookup terminates: " + s);
        assertTrue(s.successRate() >= 0.99, "lookups succeed: " + s);
        assertTrue(s.medianHops() <= 3, "median hops: " + s);
        assertTrue(s.maxHops() <= 5, "most hops: " + s);
      }
    }
  }
}
