package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedlink.actors.TrialLauncher.TrialDone;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import io.fedlink.protocol.MonitorMessage.TrialEnded;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A trial's monitor when deviation reports never arrive (lost on a cluster's link, or a clients node
 * that stays silent): it fills the missing rounds from what it knows and the trial ends, instead of
 * waiting for ever. Time is manual: the wait for owed reports runs out only when the test moves the clock.
 * The expected NMSE of each round is computed here from the deviations the test sent, eq. 35 by hand.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrialMonitorTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config()).build();

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final double OPTIMUM = 2.0;            // ||w*||^2

    /** A monitor of one trial of {@code clients} clients and {@code rounds} rounds, and what it emits. */
    private final class Rig {
        final TestProbe<TrialDone> done = testKit.createTestProbe(TrialDone.class);
        final List<RoundMetrics> emitted = new CopyOnWriteArrayList<>();
        final ActorRef<MonitorMessage> monitor;

        Rig(int clients, int rounds) {
            monitor = testKit.spawn(TrialMonitor.create(7, clients, rounds, OPTIMUM, false, GRACE, metrics -> {
                emitted.add(metrics);
                return true;
            }, done.getRef()));
            for (int round = 0; round <= rounds; round++) {
                monitor.tell(new RoundReport(round, clients, clients, new int[0], 0));
            }
        }

        double nmse(int round) {
            return emitted.stream().filter(m -> m.round() == round).findFirst().orElseThrow().nmse();
        }
    }

    @Test
    void reportsLostMidTrialAreFilledFromTheLastReportedDeviations() {
        final Rig rig = new Rig(2, 4);
        rig.monitor.tell(new DeviationReport(0, 0, new double[] {4.0}));
        rig.monitor.tell(new DeviationReport(1, 0, new double[] {6.0, 5.0, 4.0, 3.0, 2.0}));
        rig.monitor.tell(new DeviationReport(0, 1, new double[] {3.0}));
        // Client 0's reports of rounds 2 and 3 were lost; its report of round 4 arrives.
        rig.monitor.tell(new DeviationReport(0, 4, new double[] {1.0}));
        final TrialDone done = rig.done.receiveMessage();
        assertEquals(7, done.trials()[0]);
        assertEquals(List.of(1, 2, 3, 4), rig.emitted.stream().map(RoundMetrics::round).toList());
        assertEquals((3.0 + 5.0) / (2 * OPTIMUM), rig.nmse(1), 0.0);
        assertEquals((3.0 + 4.0) / (2 * OPTIMUM), rig.nmse(2), 0.0, "round 1's deviation stands for round 2");
        assertEquals((3.0 + 3.0) / (2 * OPTIMUM), rig.nmse(3), 0.0, "and for round 3");
        assertEquals((1.0 + 2.0) / (2 * OPTIMUM), rig.nmse(4), 0.0);
    }

    @Test
    void aLostFirstReportIsFilledFromTheNextOne() {
        final Rig rig = new Rig(1, 2);
        rig.monitor.tell(new DeviationReport(0, 2, new double[] {0.5}));
        rig.done.receiveMessage();
        assertEquals(0.5 / OPTIMUM, rig.nmse(1), 0.0);
        assertEquals(0.5 / OPTIMUM, rig.nmse(2), 0.0);
    }

    @Test
    void lastReportsOwedAfterTheTrialEndedAreWaitedForOnlyBoundedly() {
        final ManualTime time = ManualTime.get(testKit.system());
        final Rig rig = new Rig(2, 3);
        rig.monitor.tell(new DeviationReport(0, 0, new double[] {8.0, 7.0, 6.0, 5.0}));
        rig.monitor.tell(new DeviationReport(1, 0, new double[] {4.0, 3.0}));
        rig.monitor.tell(new TrialEnded(3, new int[0], new int[0]));
        time.expectNoMessageFor(GRACE.minusMillis(100), rig.done);
        // A report before the bound is progress: the wait starts again from it.
        rig.monitor.tell(new DeviationReport(1, 2, new double[] {2.0}));
        time.expectNoMessageFor(GRACE.minusMillis(100), rig.done);
        assertEquals(List.of(1, 2), rig.emitted.stream().map(RoundMetrics::round).toList());
        time.timePasses(Duration.ofMillis(200));
        rig.done.receiveMessage();
        assertEquals(List.of(1, 2, 3), rig.emitted.stream().map(RoundMetrics::round).toList());
        assertEquals((7.0 + 3.0) / (2 * OPTIMUM), rig.nmse(1), 0.0);
        assertEquals((6.0 + 2.0) / (2 * OPTIMUM), rig.nmse(2), 0.0);
        assertEquals((5.0 + 2.0) / (2 * OPTIMUM), rig.nmse(3), 0.0, "client 1's round-2 deviation stands");
    }

    @Test
    void aClientNeverHeardCountsAsAbsentOnceTheTrialEnded() {
        final ManualTime time = ManualTime.get(testKit.system());
        final Rig rig = new Rig(3, 2);
        rig.monitor.tell(new DeviationReport(0, 0, new double[] {1.0, 1.0, 1.0}));
        rig.monitor.tell(new DeviationReport(2, 0, new double[] {3.0, 3.0, 2.0}));
        rig.monitor.tell(new TrialEnded(2, new int[0], new int[0]));
        time.timePasses(GRACE);
        rig.done.receiveMessage();
        assertEquals(2, rig.emitted.get(0).clients(), "the metric is taken over the two clients heard");
        assertEquals((1.0 + 3.0) / (2 * OPTIMUM), rig.nmse(1), 0.0);
        assertEquals((1.0 + 2.0) / (2 * OPTIMUM), rig.nmse(2), 0.0);
    }

    @Test
    void aReportOfRoundsAlreadyFilledDoesNotCountTwice() {
        final Rig rig = new Rig(2, 3);
        rig.monitor.tell(new DeviationReport(0, 0, new double[] {1.0}));
        rig.monitor.tell(new DeviationReport(0, 2, new double[] {1.0, 1.0}));   // round 1 filled from round 0
        rig.monitor.tell(new DeviationReport(0, 1, new double[] {9.0}));        // round 1's report, late: ignored
        rig.monitor.tell(new DeviationReport(1, 0, new double[] {1.0, 1.0, 1.0, 1.0}));
        rig.done.receiveMessage();
        for (int round = 1; round <= 3; round++) {
            assertEquals(2.0 / (2 * OPTIMUM), rig.nmse(round), 0.0, "round " + round);
        }
    }
}
