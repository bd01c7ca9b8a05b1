package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the local actor engine shares the trials among federations when not told otherwise. */
class EngineTuningTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static Experiment trials(int trials) {
        return new Experiment(10, 4, 1.0, SampleCounts.uniform(3, 6), 5, trials, 1L, SchedulingPolicy.UNIFORM,
                List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 2, 1e-3, 1e-3)));
    }

    @Test
    void lockstepRunsOneFederationPerCoreEachABlockOfTheTrials() {
        final FederationMode lockstep = new FederationMode.Lockstep();
        assertEquals(CORES, ActorEngine.defaultConcurrency(lockstep));
        final ActorEngine engine = ActorEngine.usingAllCores();
        assertEquals((100 + CORES - 1) / CORES, engine.blockSize(trials(100)), "100 trials shared among the cores");
        assertEquals(1, engine.blockSize(trials(1)));
        final ActorEngine sameAsTheCommandLine = new ActorEngine(ActorEngine.defaultConcurrency(lockstep), lockstep,
                Duration.ofSeconds(30));
        assertEquals(engine.blockSize(trials(100)), sameAsTheCommandLine.blockSize(trials(100)));
    }

    @Test
    void theLastShutdownPhaseWaitsAsLongAsTheEngineDoes() {
        for (FederationMode mode : List.of(new FederationMode.Lockstep(), new FederationMode.FreeRunning(
                Duration.ofMillis(20), Duration.ofMillis(5), 1.0))) {
            assertEquals(SystemTermination.BOUND, EngineTuning.config(mode)
                    .getDuration("pekko.coordinated-shutdown.phases.actor-system-terminate.timeout"));
        }
    }

    @Test
    void freeRunningRunsTwoOneTrialFederationsPerCore() {
        final FederationMode freeRunning = new FederationMode.FreeRunning(Duration.ofMillis(20), Duration.ofMillis(5),
                1.0);
        assertEquals(2 * CORES, ActorEngine.defaultConcurrency(freeRunning));
        assertEquals(1, new ActorEngine(ActorEngine.defaultConcurrency(freeRunning), freeRunning,
                Duration.ofSeconds(30)).blockSize(trials(100)));
    }
}
