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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The determinism contract: in lockstep mode the actor runtime produces curves bit-identical to the
 * reference engine's, for every algorithm, with noisy links and partial participation.
 */
class LockstepEquivalenceTest {

    private static List<SeriesResult> both(Experiment experiment, boolean actors) {
        final FederatedProblem problem = experiment.generateProblem();
        return actors
                ? new ActorEngine(3, Duration.ofSeconds(30)).run(experiment, problem, ProgressListener.NONE)
                : new ReferenceEngine(2).run(experiment, problem, ProgressListener.NONE);
    }

    @ParameterizedTest
    @EnumSource(FederatedAlgorithm.class)
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
}
