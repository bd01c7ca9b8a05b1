package io.fedlink.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The paper's Figure 1 (SPEC section 6): K = 100, L = 128, the paper's sample counts, rho = 1,
 * full participation, uplink = downlink variance 6.25e-4, 100 rounds. The paper reads about -27 dB
 * for `admm` and -34.5 dB for `dual-free`: eliminating the dual variable gains ~7 dB.
 *
 * <p>10 trials instead of the paper's 100: the steady state averages 20 rounds x 100 clients x 128
 * coordinates per trial, and moves by under 0.03 dB from seed to seed. The tolerance, 1.5 dB, is
 * the precision of reading a published plot. Measured with seed 1 (numerics 2, printed by the
 * test): admm -28.43 dB, dual-free -35.17 (numerics 1, seeds 1-3: -28.46, -28.43, -28.44 and
 * -35.19, -35.17, -35.17). Note that admm sits 1.43 dB below the paper's reading, at the edge of
 * the tolerance: a change that lowers it by another 0.07 dB fails this test, and deserves a look
 * at whether the change or the reading is off.
 */
class PaperFigure1Test {

    private static final double VARIANCE = 6.25e-4;
    private static final double READING_TOLERANCE_DB = 1.5;

    private static SeriesResult admm;
    private static SeriesResult dualFree;

    @BeforeAll
    static void run() {
        final Experiment experiment = new Experiment(100, 128, 1.0, SampleCounts.paper(), 100, 10, 1,
                SchedulingPolicy.UNIFORM, List.of(
                        new SeriesSpec(FederatedAlgorithm.ADMM, 100, VARIANCE, VARIANCE),
                        new SeriesSpec(FederatedAlgorithm.DUAL_FREE, 100, VARIANCE, VARIANCE)));
        final FederatedProblem problem = experiment.generateProblem();
        final List<SeriesResult> results = new ReferenceEngine(2).run(experiment, problem, ProgressListener.NONE);
        admm = results.get(0);
        dualFree = results.get(1);
        System.out.println(String.format(java.util.Locale.ROOT, "paper-figure-1: admm %.2f dB, dual-free %.2f dB",
                admm.steadyStateDb(), dualFree.steadyStateDb()));
    }

    @Test
    void admmSettlesNearMinus27Db() {
        assertEquals(-27.0, admm.steadyStateDb(), READING_TOLERANCE_DB);
    }

    @Test
    void dualFreeSettlesNearMinus34Point5Db() {
        assertEquals(-34.5, dualFree.steadyStateDb(), READING_TOLERANCE_DB);
    }

    @Test
    void eliminatingTheDualLowersTheFloorByAtLeast5Db() {
        // The paper's ~7 dB; 5 dB leaves room for both readings' tolerance while excluding no gain.
        final double gain = admm.steadyStateDb() - dualFree.steadyStateDb();
        assertTrue(gain >= 5.0, "dual-free gains only " + gain + " dB over admm");
    }
}
