package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.actors.TrialLauncher.TrialDone;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A failing actor ends the run, at once and with one message naming the actor, the trial and the
 * cause; it never leaves the engine waiting for a trial that cannot finish. The bound on each run is
 * generous (a minute): it is there to turn a hang into a failure, not to time anything.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrialFailureTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private static final Duration LIVENESS = Duration.ofMinutes(1);
    /** How long a monitor waits for reports owed after its trial ended; these tests owe none. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private static final Experiment EXPERIMENT = new Experiment(8, 6, 1.0, SampleCounts.uniform(2, 5), 20, 4, 5L,
            SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 8, 1e-3, 1e-3)));

    /** A rule that behaves as the algorithm's until its n-th poll, where it throws. */
    /** Fails at its {@code failAtPoll}-th poll with an exception, or with an error if {@code error}. */
    private record FailingRule(ClientRule inner, int failAtPoll, boolean error,
                               java.util.concurrent.atomic.AtomicInteger polls) implements ClientRule {

        FailingRule(ClientRule inner, int failAtPoll, boolean error) {
            this(inner, failAtPoll, error, new java.util.concurrent.atomic.AtomicInteger());
        }


        @Override
        public int clientId() {
            return inner.clientId();
        }

        @Override
        public void startUpload(double[] upload) {
            inner.startUpload(upload);
        }

        @Override
        public void onPoll(double[] received, double[] upload) {
            if (polls.incrementAndGet() == failAtPoll) {
                if (error) {
                    throw new AssertionError("client rule broke an assertion in its round " + failAtPoll);
                }
                throw new IllegalStateException("client rule failed in its round " + failAtPoll);
            }
            inner.onPoll(received, upload);
        }

        @Override
        public void onIdleRound() {
            inner.onIdleRound();
        }

        @Override
        public double[] model() {
            return inner.model();
        }
    }

    /** Trials whose client {@code client} of trial {@code trial} fails at its {@code atPoll}-th poll. */
    private static TrialLauncher failingClient(int trial, int client, int atPoll, boolean error) {
        return (e, p, s, t, outlet, replyTo) -> {
            final Function<ClientConstants, ClientRule> rules = t[0] == trial
                    ? c -> c.clientId() == client ? new FailingRule(s.algorithm().newClient(c), atPoll, error)
                            : s.algorithm().newClient(c)
                    : s.algorithm()::newClient;
            return TrialActor.create(setup(e, p, s, t, outlet), replyTo, rules);
        };
    }

    /** Runs the experiment on an engine whose trials are built by {@code launcher}; returns the failure. */
    private static IllegalStateException failureOf(TrialLauncher launcher, ProgressListener listener) {
        final ActorEngine engine = launcher == null ? new ActorEngine(2, Duration.ofSeconds(30))
                : new ActorEngine(2, new FederationMode.Lockstep(), launcher, null).withBlockSize(1);
        return assertTimeoutPreemptively(LIVENESS, () -> assertThrows(IllegalStateException.class,
                () -> engine.run(EXPERIMENT, EXPERIMENT.generateProblem(), listener)));
    }

    private static ServerSide.Setup setup(Experiment e, io.fedlink.core.data.FederatedProblem p, SeriesSpec s, int[] t,
                                          MetricsOutlet outlet) {
        return new ServerSide.Setup(e, p, s, t, new FederationMode.Lockstep(), Duration.ofSeconds(30), outlet, null);
    }

    @Test
    void clientRuleThatThrowsInRound5EndsTheRunNamingActorTrialAndCause() {
        // C = K = 8: client 3 of trial 2 is polled every round; its fifth poll is round 5.
        final String message = failureOf(failingClient(2, 3, 5, false), ProgressListener.NONE).getMessage();
        assertTrue(message.contains("trial 2") && message.contains("client-3")
                && message.contains("client rule failed in its round 5"), message);
        assertTrue(message.lines().count() == 1, "one line: " + message);
    }

    @Test
    void clientRuleThatFailsWithAnErrorEndsTheRunToo() {
        // No parent watches a client: its failure reporter is the only way the trial hears of it, and it
        // must report an Error (a plug-in's failed assertion) as it reports an exception.
        final String message = failureOf(failingClient(1, 4, 3, true), ProgressListener.NONE).getMessage();
        assertTrue(message.contains("trial 1") && message.contains("client-4")
                && message.contains("client rule broke an assertion in its round 3"), message);
    }

    @Test
    void monitorThatThrowsEndsTheRun() {
        final IllegalStateException failure = failureOf((e, p, s, t, outlet, replyTo) ->
                TrialActor.create(setup(e, p, s, t, metrics -> {
                    if (metrics.trial() == 1 && metrics.round() == 7) {
                        throw new ArithmeticException("monitor failed at round 7");
                    }
                    return outlet.offer(metrics);
                }), replyTo), ProgressListener.NONE);
        assertTrue(failure.getMessage().contains("trial 1") && failure.getMessage().contains("monitor")
                && failure.getMessage().contains("monitor failed at round 7"), failure.getMessage());
    }

    @Test
    void metricsStreamThatFailsEndsTheRun() {
        // A consumer of the metrics stream fails: the stream, and the queue the monitors offer to, are gone.
        final IllegalStateException failure = failureOf(null, new ProgressListener() {
            @Override
            public void trialCompleted(SeriesSpec series, int trial) {
                throw new UnsupportedOperationException("a metrics consumer failed");
            }
        });
        assertTrue(failure.getMessage().contains("a metrics consumer failed"), failure.getMessage());
    }

    @Test
    void aTrialFailingAfterItsStreamEndedFailsTheSeriesWithItsCauseNotTheDrivers() throws Exception {
        // The stream is over before the trial's failure reaches the driver (a consumer of it failed first):
        // the driver must still hand the series the trial's failure, not stop on the dead queue and report
        // "the experiment driver stopped" in its place.
        final org.apache.pekko.stream.BoundedSourceQueue<RoundMetrics> queue = org.apache.pekko.stream.javadsl.Source
                .<RoundMetrics>queue(4).to(org.apache.pekko.stream.javadsl.Sink.ignore()).run(testKit.system());
        queue.complete();                  // over before the driver hears of the trial: its fail() now throws
        final TestProbe<TrialDone> trialStarted = testKit.createTestProbe(TrialDone.class);
        final TrialFailure cause = new TrialFailure(new int[] {0}, "client-1", new IllegalStateException("boom"));
        final TrialLauncher failing = (e, p, s, t, outlet, replyTo) -> org.apache.pekko.actor.typed.javadsl.Behaviors
                .setup(ctx -> {
                    replyTo.tell(new TrialLauncher.TrialFailed(cause));
                    trialStarted.getRef().tell(new TrialDone(t, 0, 0, 0L));
                    return org.apache.pekko.actor.typed.javadsl.Behaviors.empty();
                });
        final java.util.concurrent.CompletableFuture<Void> failure = new java.util.concurrent.CompletableFuture<>();
        final ActorRef<ExperimentDriver.Command> driver = testKit.spawn(ExperimentDriver.create(1, failing));
        driver.tell(new ExperimentDriver.RunSeries(EXPERIMENT, EXPERIMENT.generateProblem(), EXPERIMENT.series().get(0),
                queue, java.util.Set.of(), failure, 8));
        trialStarted.receiveMessage();
        final java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> failure.get(LIVENESS.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        org.junit.jupiter.api.Assertions.assertSame(cause, failed.getCause());
    }

    @Test
    void checkpointThatCannotBeWrittenEndsTheRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        // A directory where the round state's temporary file would go: every write fails, for root too.
        final ExperimentCheckpoint checkpoint = ExperimentCheckpoint.open(dir, "fp", 1);
        java.nio.file.Files.createDirectories(dir.resolve("round-s0-t0.bin.tmp"));
        final Experiment longer = new Experiment(8, 6, 1.0, SampleCounts.uniform(2, 5), 200_000, 1, 5L,
                SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 4, 1e-3, 1e-3)));
        final ActorEngine engine = new ActorEngine(1, Duration.ofSeconds(30)).checkpointing(checkpoint);
        final IllegalStateException failure = assertTimeoutPreemptively(LIVENESS, () -> assertThrows(
                IllegalStateException.class, () -> engine.run(longer, longer.generateProblem(), ProgressListener.NONE)));
        assertTrue(failure.getMessage().contains("trial 0") && failure.getMessage().contains("round-state")
                && failure.getMessage().contains("cannot write the round state"), failure.getMessage());
    }

    @Test
    void monitorWhoseStreamIsClosedFailsInsteadOfRetryingForever() {
        final TestProbe<TrialDone> done = testKit.createTestProbe(TrialDone.class);
        final MetricsOutlet closed = metrics -> {
            throw new IllegalStateException("the metrics stream is closed");
        };
        final ActorRef<MonitorMessage> monitor = testKit.spawn(TrialMonitor.create(0, 1, 1, 1.0, false, GRACE, closed,
                done.getRef()));
        monitor.tell(new DeviationReport(0, 0, new double[] {1.0, 0.5}));
        monitor.tell(new RoundReport(0, 1, 1, new int[0], 0));
        monitor.tell(new RoundReport(1, 1, 1, new int[0], 0));
        done.expectTerminated(monitor);
    }

    @Test
    void aLateRoundReportOfAnEmittedRoundIsIgnored() {
        // Round 1 is complete and emitted when its report arrives; a second report of it (a repeat, or a
        // forged one over the wire) must not fail the monitor: round 2 still completes the trial.
        final TestProbe<TrialDone> done = testKit.createTestProbe(TrialDone.class);
        final java.util.List<RoundMetrics> emitted = new java.util.concurrent.CopyOnWriteArrayList<>();
        final MetricsOutlet collect = metrics -> {
            emitted.add(metrics);
            return true;
        };
        final ActorRef<MonitorMessage> monitor = testKit.spawn(TrialMonitor.create(0, 1, 2, 1.0, false, GRACE, collect,
                done.getRef()));
        monitor.tell(new DeviationReport(0, 0, new double[] {1.0, 0.5}));
        monitor.tell(new RoundReport(0, 1, 1, new int[0], 0));
        monitor.tell(new RoundReport(1, 1, 1, new int[0], 0));
        monitor.tell(new RoundReport(1, 1, 1, new int[0], 0));
        monitor.tell(new DeviationReport(0, 2, new double[] {0.25}));
        monitor.tell(new RoundReport(2, 1, 1, new int[0], 0));
        assertEquals(1, done.receiveMessage().trials().length, "the trial completed");
        assertEquals(List.of(1, 2), emitted.stream().map(RoundMetrics::round).toList(), "rounds 1 and 2, once each");
    }
}
