package io.mycel.net.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.multiaddr.Multiaddr;
import org.junit.jupiter.api.Test;

class ReachabilityTrackerTest {

  private static final Multiaddr ADDRESS = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");

  @Test
  void startsUnknown() {
    assertThat(new ReachabilityTracker(3).status()).isEqualTo(ReachabilityTracker.Status.UNKNOWN);
  }

  @Test
  void firstAnswerSetsTheStatusAndAgreeingAnswersRaiseConfidenceUpToTheMaximum() {
    ReachabilityTracker tracker = new ReachabilityTracker(2);

    assertThat(tracker.dialedBack(ADDRESS)).isEqualTo(new ReachabilityTracker.Status(Reachability.PUBLIC, 0, ADDRESS));
    tracker.dialedBack(ADDRESS);
    tracker.dialedBack(ADDRESS);
    assertThat(tracker.dialedBack(ADDRESS).confidence()).isEqualTo(2);
  }

  @Test
  void contraryAnswerLowersConfidenceBeforeFlipping() {
    ReachabilityTracker tracker = new ReachabilityTracker(3);
    tracker.dialFailed();
    tracker.dialFailed();

    assertThat(tracker.dialedBack(ADDRESS))
        .isEqualTo(new ReachabilityTracker.Status(Reachability.PRIVATE, 0, null));
    assertThat(tracker.dialedBack(ADDRESS))
        .isEqualTo(new ReachabilityTracker.Status(Reachability.PUBLIC, 0, ADDRESS));
  }
}
