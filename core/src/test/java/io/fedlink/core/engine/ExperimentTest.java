package io.fedlink.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an experiment refuses before any work is done (SPEC 4.2: dual-free needs C = K). */
class ExperimentTest {

    private static Experiment experiment(int clients, SeriesSpec... series) {
        return new Experiment(clients, 8, 1.0, SampleCounts.uniform(20, 40), 10, 1, 1,
                SchedulingPolicy.UNIFORM, List.of(series));
    }

    @Test
    void dualFreeNeedsFullParticipationAndPointsToRerce() {
        final IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> experiment(10, new SeriesSpec(FederatedAlgorithm.DUAL_FREE, 4, 0.0, 0.0)));
        assertTrue(refusal.getMessage().contains("rerce"), refusal.getMessage());
    }

    @Test
    void dualFreeWithFullParticipationIsAcceptedAndPollsEveryClientEveryRound() {
        final Experiment accepted = experiment(10, new SeriesSpec(FederatedAlgorithm.DUAL_FREE, 10, 0.0, 0.0));
        final SeriesResult result = new ReferenceEngine(1)
                .run(accepted, accepted.generateProblem(), ProgressListener.NONE).get(0);
        assertEquals(10, result.rounds());
        assertEquals(10L * 10, result.clientUpdates(), "C = K: all 10 clients step in each of the 10 rounds");
        for (double nmse : result.nmse()) {
            assertTrue(Double.isFinite(nmse) && nmse > 0, "NMSE " + nmse);
        }
    }

    @Test
    void moreSelectedThanClientsIsRefused() {
        for (FederatedAlgorithm algorithm : FederatedAlgorithm.all()) {
            assertThrows(IllegalArgumentException.class,
                    () -> experiment(10, new SeriesSpec(algorithm, 11, 0.0, 0.0)), algorithm.id());
        }
    }

    @Test
    void oneBadSeriesRefusesTheWholeExperiment() {
        assertThrows(IllegalArgumentException.class, () -> experiment(10,
                new SeriesSpec(FederatedAlgorithm.RERCE, 4, 0.0, 0.0),
                new SeriesSpec(FederatedAlgorithm.DUAL_FREE, 4, 0.0, 0.0)));
    }

    @Test
    void degenerateParametersAreRefused() {
        final List<SeriesSpec> series = List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 2, 0.0, 0.0));
        final SampleCounts counts = SampleCounts.uniform(20, 40);
        final SchedulingPolicy uniform = SchedulingPolicy.UNIFORM;
        assertThrows(IllegalArgumentException.class, () -> new Experiment(0, 8, 1.0, counts, 10, 1, 1, uniform, series));
        assertThrows(IllegalArgumentException.class, () -> new Experiment(4, 1, 1.0, counts, 10, 1, 1, uniform, series));
        assertThrows(IllegalArgumentException.class, () -> new Experiment(4, 8, 0.0, counts, 10, 1, 1, uniform, series));
        assertThrows(IllegalArgumentException.class, () -> new Experiment(4, 8, 1.0, counts, 0, 1, 1, uniform, series));
        assertThrows(IllegalArgumentException.class, () -> new Experiment(4, 8, 1.0, counts, 10, 0, 1, uniform, series));
        assertThrows(IllegalArgumentException.class, () -> new Experiment(4, 8, 1.0, counts, 10, 1, 1, uniform, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SeriesSpec(FederatedAlgorithm.RERCE, 0, 0.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new SeriesSpec(FederatedAlgorithm.RERCE, 2, -1e-3, 0.0));
    }
}
