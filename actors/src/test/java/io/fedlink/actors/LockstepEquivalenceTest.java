package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The determinism contract: in lockstep mode the actor runtime produces curves bit-identical to the
 * reference engine's, for every algorithm, with noisy links and partial participation.
 */
class LockstepEquivalenceTest {

    /** Every algorithm found on the class path: the paper's four, and the plug-ins where they are there. */
    static java.util.List<FederatedAlgorithm> algorithms() {
        return FederatedAlgorithm.all();
    }

    private static List<SeriesResult> both(Experiment experiment, boolean actors) {
        final FederatedProblem problem = experiment.generateProblem();
        return actors
                ? new ActorEngine(3, Duration.ofSeconds(30)).run(experiment, problem, ProgressListener.NONE)
                : new ReferenceEngine(2).run(experiment, problem, ProgressListener.NONE);
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void actorCurvesAreBitIdenticalToTheReferenceEngine(FederatedAlgorithm algorithm) {
        final int clients = 12;
        final int selected = algorithm.requiresFullParticipation() ? clients : 4;
        final Experiment experiment = new Experiment(clients, 16, 1.0, SampleCounts.uniform(5, 12), 40, 5, 11L,
                SchedulingPolicy.UNIFORM, List.of(
                        new SeriesSpec(algorithm, selected, 6.25e-4, 1e-2),
                        new SeriesSpec(algorithm, selected, 0.0, 0.0)));
        final List<SeriesResult> reference = both(experiment, false);
        final List<SeriesResult> actors = both(experiment, true);
        for (int s = 0; s < reference.size(); s++) {
            assertArrayEquals(reference.get(s).nmse(), actors.get(s).nmse(), 0.0, reference.get(s).spec().label());
            assertEquals(reference.get(s).clientUpdates(), actors.get(s).clientUpdates());
        }
    }

    /**
     * A federation simulates a block of trials (each client actor holds its state in every trial of the
     * block, one message carries the block's vectors): whatever the blocks, every trial's curve is what the
     * reference engine computes for it alone. Lossy links in both directions, so that a message loses some of
     * its slots and keeps others; 7 trials, so that blocks of 2, 3 and 5 leave a shorter last block.
     */
    @ParameterizedTest(name = "blocks of {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 5, 7})
    void curvesDoNotDependOnHowTrialsAreBlocked(int blockSize) {
        final List<SeriesSpec> series = new java.util.ArrayList<>();
        for (FederatedAlgorithm algorithm : List.of(FederatedAlgorithm.RERCE, FederatedAlgorithm.RERCE_CONTINUAL,
                FederatedAlgorithm.ADMM, FederatedAlgorithm.byId("scaffold"))) {
            series.add(new SeriesSpec(algorithm, algorithm.requiresFullParticipation() ? 10 : 4, 1e-3, 1e-3, io.fedlink.core.link.ChannelSpec.parse("erasure:0.3+awgn"),
                    io.fedlink.core.link.ChannelSpec.parse("erasure:0.2+quantize:6+awgn"),
                    new io.fedlink.core.link.LinkBudget.PathLoss(2.0), io.fedlink.core.algorithm.MissingUploads.BY_C));
        }
        final Experiment experiment = new Experiment(10, 8, 1.0, SampleCounts.uniform(3, 6), 25, 7, 13L,
                SchedulingPolicy.UNIFORM, series);
        final FederatedProblem problem = experiment.generateProblem();
        final List<SeriesResult> reference = new ReferenceEngine(1).run(experiment, problem, ProgressListener.NONE);
        final ActorEngine engine = new ActorEngine(2, Duration.ofSeconds(30)).withBlockSize(blockSize);
        assertEquals(blockSize, engine.blockSize(experiment));
        final List<SeriesResult> actors = engine.run(experiment, problem, ProgressListener.NONE);
        assertSameRuns(reference, actors);
        for (SeriesResult r : reference) {
            org.junit.jupiter.api.Assertions.assertTrue(r.lostUplinks() > 0 && r.lostDownlinks() > 0,
                    r.spec().label() + ": the erasures did lose transmissions");
        }
    }

    /** Every series the same: curve bit for bit, client updates and lost transmissions each way. */
    private static void assertSameRuns(List<SeriesResult> reference, List<SeriesResult> actors) {
        assertEquals(reference.size(), actors.size());
        for (int s = 0; s < reference.size(); s++) {
            final String label = reference.get(s).spec().label();
            assertArrayEquals(reference.get(s).nmse(), actors.get(s).nmse(), 0.0, label);
            assertEquals(reference.get(s).clientUpdates(), actors.get(s).clientUpdates(), label);
            assertEquals(reference.get(s).lostUplinks(), actors.get(s).lostUplinks(), label);
            assertEquals(reference.get(s).lostDownlinks(), actors.get(s).lostDownlinks(), label);
        }
    }

    @Test
    void bernoulliSchedulingIsBitIdenticalToo() {
        final Experiment experiment = new Experiment(10, 8, 1.0, SampleCounts.uniform(3, 6), 30, 4, 5L,
                SchedulingPolicy.BERNOULLI, List.of(
                        new SeriesSpec(FederatedAlgorithm.RERCE, 3, 1e-3, 1e-3),
                        new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, 3, 1e-3, 1e-3)));
        final List<SeriesResult> reference = both(experiment, false);
        final List<SeriesResult> actors = both(experiment, true);
        for (int s = 0; s < reference.size(); s++) {
            assertArrayEquals(reference.get(s).nmse(), actors.get(s).nmse(), 0.0);
        }
    }

    @ParameterizedTest(name = "{0}, missing uploads {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "rerce, RECEIVED", "rerce, BY_C", "rerce-continual, RECEIVED", "admm, BY_C", "dual-free, RECEIVED",
        "fedavg, BY_C", "scaffold, RECEIVED"})
    void everyChannelIsBitIdenticalToo(FederatedAlgorithm algorithm, io.fedlink.core.algorithm.MissingUploads missing) {
        final int clients = 10;
        final int selected = algorithm.requiresFullParticipation() ? clients : 4;
        final java.util.List<SeriesSpec> series = new java.util.ArrayList<>();
        for (String[] pair : new String[][] {{"erasure:0.2+awgn", "erasure:0.3+awgn"}, {"quantize:4+awgn", "awgn"},
            {"rayleigh:0.1+awgn", "rayleigh:0.1+awgn"}, {"awgn", "erasure:0.5+quantize:2+awgn"}}) {
            series.add(new SeriesSpec(algorithm, selected, 1e-3, 1e-3, io.fedlink.core.link.ChannelSpec.parse(pair[0]),
                    io.fedlink.core.link.ChannelSpec.parse(pair[1]), new io.fedlink.core.link.LinkBudget.PathLoss(2.0),
                    missing));
        }
        final Experiment experiment = new Experiment(clients, 8, 1.0, SampleCounts.uniform(3, 6), 30, 3, 9L,
                SchedulingPolicy.UNIFORM, series);
        final List<SeriesResult> reference = both(experiment, false);
        final List<SeriesResult> actors = both(experiment, true);
        assertSameRuns(reference, actors);
        org.junit.jupiter.api.Assertions.assertTrue(reference.get(0).lostUplinks() > 0
                && reference.get(0).lostDownlinks() > 0, "the erasures did lose transmissions");
    }

    @Test
    void anObservedEngineGivesTheSameCurvesAndTellsEveryRound() {
        final Experiment experiment = new Experiment(8, 6, 1.0, SampleCounts.uniform(3, 6), 25, 3, 7L,
                SchedulingPolicy.UNIFORM, List.of(
                        new SeriesSpec(FederatedAlgorithm.RERCE, 3, 1e-3, 1e-3,
                                io.fedlink.core.link.ChannelSpec.parse("erasure:0.2+awgn"),
                                io.fedlink.core.link.ChannelSpec.parse("erasure:0.2+awgn"),
                                new io.fedlink.core.link.LinkBudget.Uniform(), io.fedlink.core.algorithm.MissingUploads.RECEIVED),
                        new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, 3, 1e-3, 1e-3)));
        final java.util.Map<SeriesSpec, java.util.Set<String>> told = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Map<SeriesSpec, long[]> lost = new java.util.concurrent.ConcurrentHashMap<>();
        final RoundObserver observer = (series, m) -> {
            told.computeIfAbsent(series, s -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                    .add(m.trial() + "/" + m.round());
            final long[] l = lost.computeIfAbsent(series, s -> new long[2]);
            l[0] += m.lostUplinks();
            l[1] += m.lostDownlinks();
        };
        final FederatedProblem problem = experiment.generateProblem();
        final List<SeriesResult> reference = new ReferenceEngine(2).run(experiment, problem, ProgressListener.NONE);
        final List<SeriesResult> observed = new ActorEngine(3, Duration.ofSeconds(30)).observing(observer)
                .run(experiment, problem, ProgressListener.NONE);
        for (int s = 0; s < reference.size(); s++) {
            final SeriesSpec spec = experiment.series().get(s);
            assertArrayEquals(reference.get(s).nmse(), observed.get(s).nmse(), 0.0, spec.label());
            assertEquals(3 * 25, told.get(spec).size(), "every round of every trial, once: " + spec.label());
            assertEquals(observed.get(s).lostUplinks(), lost.get(spec)[0], spec.label());
            assertEquals(observed.get(s).lostDownlinks(), lost.get(spec)[1], spec.label());
        }
    }
}
