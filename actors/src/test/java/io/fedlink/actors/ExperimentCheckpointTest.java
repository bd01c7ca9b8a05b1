package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: completed trials are skipped on a restart, and the result is the uninterrupted one, bit for bit. */
class ExperimentCheckpointTest {

    @TempDir
    Path tmp;

    private static final Experiment EXPERIMENT = new Experiment(10, 8, 1.0, SampleCounts.uniform(3, 6), 40, 6, 3L,
            SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 3, 1e-3, 1e-3),
                    new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, 3, 1e-3, 1e-3)));

    @Test
    void restartSkipsCompletedTrialsAndGivesTheUninterruptedCurves() throws Exception {
        final FederatedProblem problem = EXPERIMENT.generateProblem();
        final List<SeriesResult> uninterrupted = new ActorEngine(2, Duration.ofSeconds(30))
                .run(EXPERIMENT, problem, ProgressListener.NONE);

        // A first run that checkpoints everything, then "loses" trials 1 and 4 of the first series.
        final Path dir = tmp.resolve("checkpoint");
        new ActorEngine(2, Duration.ofSeconds(30)).checkpointing(ExperimentCheckpoint.open(dir, "fp", 10))
                .run(EXPERIMENT, problem, ProgressListener.NONE);
        assertTrue(Files.exists(dir.resolve("trial-s0-t5.bin")));
        Files.delete(dir.resolve("trial-s0-t1.bin"));
        Files.delete(dir.resolve("trial-s0-t4.bin"));

        final AtomicInteger completions = new AtomicInteger();
        final List<SeriesResult> resumed = new ActorEngine(2, Duration.ofSeconds(30))
                .checkpointing(ExperimentCheckpoint.open(dir, "fp", 10))
                .run(EXPERIMENT, problem, new ProgressListener() {
                    @Override
                    public void trialCompleted(SeriesSpec series, int trial) {
                        completions.incrementAndGet();
                    }
                });
        for (int s = 0; s < uninterrupted.size(); s++) {
            assertArrayEquals(uninterrupted.get(s).nmse(), resumed.get(s).nmse(), 0.0);
        }
        assertEquals(12, completions.get(), "every trial is accounted for, from the checkpoint or run again");
        assertTrue(Files.exists(dir.resolve("trial-s0-t1.bin")), "the rerun trials are checkpointed again");
    }

    @Test
    void aPluginsRoundStateIsCheckedOnResumeControlVariatesIncluded() throws Exception {
        final SeriesSpec scaffold = new SeriesSpec(FederatedAlgorithm.byId("scaffold"), 3, 1e-3, 1e-3);
        // The writer compares asynchronously; a done block waits for it to drain, so the check is never lost.
        // Three trials in one federation, the interrupted state trial 1's: slot 1 of the block must be
        // checked against trial 1's log (a writer that took every slot for slot 0 would miss it).
        final Experiment experiment = new Experiment(6, 4, 1.0, SampleCounts.uniform(3, 6), 12, 3, 3L,
                SchedulingPolicy.UNIFORM, List.of(scaffold));
        final FederatedProblem problem = experiment.generateProblem();
        final List<SeriesResult> uninterrupted = new io.fedlink.core.engine.ReferenceEngine(1)
                .run(experiment, problem, ProgressListener.NONE);
        // What a run interrupted after round 10 left: its server's state then, (x, c) broadcast, from
        // the reference engine; and the same with c off by one unit in the last place.
        final io.fedlink.core.engine.ReferenceFederation reference =
                new io.fedlink.core.engine.ReferenceFederation(experiment, problem, scaffold, 1);
        for (int n = 0; n < 10; n++) {
            reference.runRound();
        }
        for (boolean altered : new boolean[] {false, true}) {
            final Path dir = tmp.resolve(altered ? "altered" : "resumed");
            final double[] broadcast = reference.broadcast();
            assertEquals(8, broadcast.length, "scaffold broadcasts (x, c): 2L");
            if (altered) {
                broadcast[7] = Math.nextUp(broadcast[7]);
            }
            ExperimentCheckpoint.open(dir, "fp", 10).roundState(0, 1).write(10, reference.globalModel(), broadcast,
                    reference.serverCheckpointState());
            final ExperimentCheckpoint checkpoint = ExperimentCheckpoint.open(dir, "fp", 10);
            assertEquals(10, checkpoint.roundState(0, 1).interruptedAt(), "read before the run, as the writer would");
            final ActorEngine engine = new ActorEngine(1, Duration.ofSeconds(30)).checkpointing(checkpoint);
            assertEquals(3, engine.blockSize(experiment), "one federation, all three trials");
            final List<SeriesResult> resumed = engine.run(experiment, problem, ProgressListener.NONE);
            assertArrayEquals(uninterrupted.get(0).nmse(), resumed.get(0).nmse(), 0.0);
            assertEquals(altered ? ExperimentCheckpoint.RoundStateLog.Verification.MISMATCHED
                    : ExperimentCheckpoint.RoundStateLog.Verification.MATCHED,
                    checkpoint.roundState(0, 1).lastVerification());
        }
    }

    @Test
    void checkpointOfAnotherExperimentIsRefused() throws Exception {
        final Path dir = tmp.resolve("other");
        ExperimentCheckpoint.open(dir, "fedlink simulate --seed 1", 5);
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ExperimentCheckpoint.open(dir, "fedlink simulate --seed 2", 5));
        assertTrue(refused.getMessage().contains("belongs to another experiment"), refused.getMessage());
        ExperimentCheckpoint.clear(dir);
        ExperimentCheckpoint.open(dir, "fedlink simulate --seed 2", 5);
    }

    @Test
    void roundStateIsWrittenAtomicallyAndARerunIsCheckedAgainstIt() throws Exception {
        final ExperimentCheckpoint checkpoint = ExperimentCheckpoint.open(tmp.resolve("rounds"), "fp", 5);
        final ExperimentCheckpoint.RoundStateLog first = checkpoint.roundState(0, 2);
        assertFalse(first.due(4));
        assertTrue(first.due(10));
        assertEquals(ExperimentCheckpoint.RoundStateLog.Verification.NONE,
                first.record(10, new double[] {1, 2}, new double[] {3, 4}, new double[] {5}));
        assertFalse(Files.exists(tmp.resolve("rounds").resolve("round-s0-t2.bin.tmp")), "no half-written file left");

        // A restart is a new process: it opens the checkpoint afresh.
        final ExperimentCheckpoint restarted = ExperimentCheckpoint.open(tmp.resolve("rounds"), "fp", 5);
        final ExperimentCheckpoint.RoundStateLog rerun = restarted.roundState(0, 2);
        assertEquals(10, rerun.interruptedAt());
        assertEquals(ExperimentCheckpoint.RoundStateLog.Verification.NONE, rerun.record(5, new double[] {9, 9},
                new double[] {9, 9}, new double[0]), "earlier rounds do not overwrite the interrupted run's state");
        assertEquals(ExperimentCheckpoint.RoundStateLog.Verification.MATCHED,
                rerun.record(10, new double[] {1, 2}, new double[] {3, 4}, new double[] {5}));
        assertEquals(ExperimentCheckpoint.RoundStateLog.Verification.MISMATCHED,
                ExperimentCheckpoint.open(tmp.resolve("rounds"), "fp", 5).roundState(0, 2)
                        .record(10, new double[] {1, 2}, new double[] {3, 4}, new double[] {6}),
                "the state beyond the model and the broadcast is compared too");
    }

    @Test
    void serverWritesItsRoundStateEveryNRounds() throws Exception {
        final Path dir = tmp.resolve("server");
        final ActorEngine engine = new ActorEngine(1, Duration.ofSeconds(30))
                .checkpointing(ExperimentCheckpoint.open(dir, "fp", 7));
        final Experiment oneTrial = new Experiment(10, 8, 1.0, SampleCounts.uniform(3, 6), 40, 1, 3L,
                SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 3, 0.0, 0.0)));
        final FederatedProblem problem = oneTrial.generateProblem();
        // Run a reference trial to round 35 by hand to know the state the server must have written.
        final io.fedlink.core.engine.ReferenceFederation reference =
                new io.fedlink.core.engine.ReferenceFederation(oneTrial, problem, oneTrial.series().get(0), 0);
        for (int n = 0; n < 35; n++) {
            reference.runRound();
        }
        final ExperimentCheckpoint.RoundStateLog log = ExperimentCheckpoint.open(dir, "fp", 7).roundState(0, 0);
        // Before the run: nothing; a finished trial's round state is removed with its completion record.
        assertEquals(-1, log.interruptedAt());
        engine.run(oneTrial, problem, ProgressListener.NONE);
        assertFalse(Files.exists(dir.resolve("round-s0-t0.bin")));
        final Map<Integer, List<RoundMetrics>> done = ExperimentCheckpoint.open(dir, "fp", 7).completedTrials(0, 40);
        assertEquals(List.of(0), List.copyOf(done.keySet()));
        assertEquals(40, done.get(0).size());
        assertEquals(reference.nmse(), done.get(0).get(34).nmse(), 0.0, "round 35 as the reference engine has it");
    }
}
