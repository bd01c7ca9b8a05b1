package io.fedlink.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.metric.Nmse;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The qualitative claims of SPEC section 6 about `rerce` and `rerce-continual` (the paper's Figures
 * 3-6): K = 100, L = 128, the paper's sample counts, rho = 1, 500 rounds, link variance 6.25e-4
 * (and 1e-2 for the variance claim), C in {4, 10, 25}.
 *
 * <p>Trial counts. `rerce` runs 100 trials: it is cheap (C client steps per round) and its
 * convergence round needs them. Its averaged curve falls in steps, each time one of the last
 * never-polled clients (still at wh_k) is polled for the first time, so with 10 trials the round at
 * which it first comes within 1 dB of its floor moves by up to 45% from seed to seed (C = 4: 152 to
 * 286 over seeds 1-6); with 100 trials by under 6% (180 to 197). `rerce-continual` (K client steps
 * per round) runs 10 trials: its curve is smooth (every client steps every round), its steady state
 * moves by ~0.03 dB across seeds and the round at which it reaches rerce's floor by under 8%
 * (C = 4: 176 to 205; C = 25: 35 to 39).
 *
 * <p>Measured with seed 1 (this test's data under numerics 2; the test prints its figures): steady
 * states rerce C=4 -29.7, C=10 -32.8, C=25 -34.3 dB; continual -35.2, -35.2, -35.2; at variance 1e-2
 * rerce C=4 -17.7, C=25 -22.3, continual -23.1, -23.2. Rounds to come within 1 dB of the own floor:
 * rerce 192, 78, 32. (The seed-to-seed spreads above were measured under numerics 1.)
 */
class RerceClaimsTest {

    private static final double LOW = 6.25e-4;
    private static final double HIGH = 1e-2;
    private static final int[] POLLED = {4, 10, 25};
    private static final int ROUNDS = 500;
    private static final long SEED = 1;

    private static final List<SeriesResult> RERCE = new ArrayList<>();          // by POLLED, variance LOW
    private static final List<SeriesResult> CONTINUAL = new ArrayList<>();      // by POLLED, variance LOW
    private static final List<SeriesResult> RERCE_HIGH = new ArrayList<>();     // C = 4 and 25, variance HIGH
    private static final List<SeriesResult> CONTINUAL_HIGH = new ArrayList<>(); // C = 4 and 25, variance HIGH

    @BeforeAll
    static void run() {
        final List<SeriesSpec> rerce = new ArrayList<>();
        final List<SeriesSpec> rest = new ArrayList<>();
        for (int c : POLLED) {
            rerce.add(new SeriesSpec(FederatedAlgorithm.RERCE, c, LOW, LOW));
            rest.add(new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, c, LOW, LOW));
        }
        for (int c : new int[] {4, 25}) {
            rest.add(new SeriesSpec(FederatedAlgorithm.RERCE, c, HIGH, HIGH));
            rest.add(new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, c, HIGH, HIGH));
        }
        // Same seed, so the same data; only the trial counts differ (see the class comment).
        final Experiment rerceExperiment = experiment(100, rerce);
        final Experiment restExperiment = experiment(10, rest);
        final FederatedProblem problem = rerceExperiment.generateProblem();
        final ReferenceEngine engine = new ReferenceEngine(2);
        RERCE.addAll(engine.run(rerceExperiment, problem, ProgressListener.NONE));
        final List<SeriesResult> results = engine.run(restExperiment, problem, ProgressListener.NONE);
        CONTINUAL.addAll(results.subList(0, 3));
        RERCE_HIGH.add(results.get(3));
        CONTINUAL_HIGH.add(results.get(4));
        RERCE_HIGH.add(results.get(5));
        CONTINUAL_HIGH.add(results.get(6));
        for (List<SeriesResult> group : List.of(RERCE, CONTINUAL, RERCE_HIGH, CONTINUAL_HIGH)) {
            for (SeriesResult r : group) {              // the figures the comments below quote
                System.out.println(String.format(java.util.Locale.ROOT,
                        "rerce-claims %s: steady state %.2f dB, within 1 dB of it by round %d, -20 dB by round %d",
                        r.spec().label(), r.steadyStateDb(), settlingRound(r), firstRoundAtOrBelow(r, -20.0)));
            }
        }
        for (int i = 0; i < POLLED.length; i++) {
            System.out.println(String.format(java.util.Locale.ROOT,
                    "rerce-claims C=%d: continual reaches rerce's floor + 1 dB by round %d",
                    POLLED[i], firstRoundAtOrBelow(CONTINUAL.get(i), RERCE.get(i).steadyStateDb() + 1.0)));
        }
    }

    private static Experiment experiment(int trials, List<SeriesSpec> series) {
        return new Experiment(100, 128, 1.0, SampleCounts.paper(), ROUNDS, trials, SEED,
                SchedulingPolicy.UNIFORM, series);
    }

    /** The first round (1-based) after which the curve is at or below {@code levelDb}; -1 if never. */
    private static int firstRoundAtOrBelow(SeriesResult result, double levelDb) {
        final double[] db = Nmse.toDb(result.nmse());
        for (int n = 0; n < db.length; n++) {
            if (db[n] <= levelDb) {
                return n + 1;
            }
        }
        return -1;
    }

    /** The round at which a curve first comes within 1 dB of its own steady state. */
    private static int settlingRound(SeriesResult result) {
        return firstRoundAtOrBelow(result, result.steadyStateDb() + 1.0);
    }

    @Test
    void pollingMoreClientsConvergesFaster() {
        // Measured: rerce 192, 78, 32 rounds for C = 4, 10, 25; continual 287, 111, 43.
        for (List<SeriesResult> algorithm : List.of(RERCE, CONTINUAL)) {
            final int c4 = settlingRound(algorithm.get(0));
            final int c10 = settlingRound(algorithm.get(1));
            final int c25 = settlingRound(algorithm.get(2));
            final String rounds = algorithm.get(0).spec().algorithm() + ": " + c4 + ", " + c10 + ", " + c25;
            assertTrue(c4 > c10 && c10 > c25 && c25 > 0, rounds);
        }
    }

    @Test
    void continualUpdatesLowerTheFloorMostWhenFewClientsArePolled() {
        // Measured gains: 5.5, 2.4, 0.9 dB for C = 4, 10, 25.
        final double[] gain = new double[POLLED.length];
        for (int i = 0; i < POLLED.length; i++) {
            gain[i] = RERCE.get(i).steadyStateDb() - CONTINUAL.get(i).steadyStateDb();
        }
        final String gains = gain[0] + ", " + gain[1] + ", " + gain[2];
        assertTrue(gain[0] > gain[1] && gain[1] > gain[2] && gain[2] > 0.0, gains);
    }

    @Test
    void continualUpdatesReachTheRerceFloorWithoutMaterialDelay() {
        // The continual curve must reach rerce's floor (+1 dB) within 1.3 times the rounds rerce needs
        // to come within 1 dB of it. Measured here: 200/192 = 1.04, 89/78 = 1.14, 38/32 = 1.19 for
        // C = 4, 10, 25; over seeds 1-6 (numerics 1) the ratio spanned 0.98-1.06, 1.01-1.19 and
        // 1.09-1.26. The delay grows with C: in mid-transient continual is 1.3-1.4x slower (e.g. to
        // reach -20 dB: 138 vs 99 rounds at C = 4, 51 vs 38 at C = 10, 21 vs 15 at C = 25; its server
        // averages stale extrapolations), and catches up only near rerce's floor. 1.3 bounds every
        // seed measured; the 1.25 first proposed failed at C = 25 for seed 3.
        for (int i = 0; i < POLLED.length; i++) {
            final int rerceSettles = settlingRound(RERCE.get(i));
            final int continualReaches = firstRoundAtOrBelow(CONTINUAL.get(i), RERCE.get(i).steadyStateDb() + 1.0);
            final String rounds = "C = " + POLLED[i] + ": continual " + continualReaches + ", rerce " + rerceSettles;
            assertTrue(continualReaches > 0 && continualReaches <= 1.3 * rerceSettles, rounds);
        }
    }

    @Test
    void sixteenTimesTheLinkVarianceCostsAbout12Db() {
        // The link-noise part of the floor is linear in the variance: 10 log10(16) = 12.04 dB.
        // Measured: 12.03-12.05 dB for both algorithms at C = 4 and C = 25.
        final int[] lowIndex = {0, 2};                      // C = 4 and C = 25 in POLLED
        for (int i = 0; i < 2; i++) {
            final double rerceCost = RERCE_HIGH.get(i).steadyStateDb() - RERCE.get(lowIndex[i]).steadyStateDb();
            final double continualCost =
                    CONTINUAL_HIGH.get(i).steadyStateDb() - CONTINUAL.get(lowIndex[i]).steadyStateDb();
            assertEquals(12.0, rerceCost, 1.5, RERCE_HIGH.get(i).spec().label());
            assertEquals(12.0, continualCost, 1.5, CONTINUAL_HIGH.get(i).spec().label());
        }
    }
}
