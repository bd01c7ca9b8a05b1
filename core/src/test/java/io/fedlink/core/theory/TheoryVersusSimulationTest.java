package io.fedlink.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.metric.Nmse;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact prediction against the reference engine's Monte Carlo estimate, at the paper's
 * small-scale setting (SPEC 6 and 7.3): K = L = 6, d_k ~ U{2..5}, rho = 1, 2000 trials of 400
 * rounds, every C in 2..6 and five link budgets: noiseless, both links at 6.25e-4, both at 1e-2,
 * the uplink alone at 1e-2 and the downlink alone at 1e-2.
 *
 * <p>Tolerances: the steady state (linear mean of the last 80 rounds) within 0.2 dB, and the curve
 * within 0.5 dB at round 1 and every 10th round. One exception is statistical, not theoretical:
 * where the simulated round is itself uncertain by more than that (at C = 2 on noiseless links the
 * per-trial NMSE during the descent is extremely heavy-tailed: single trials 2500 times the mean,
 * and 2000-trial means that scatter by +-2.5 dB), the prediction must instead lie within five
 * standard errors of the simulated mean (five, not the usual three or four, because the sample
 * standard error of so heavy-tailed a mean is itself an underestimate: the rare trials that carry it
 * are mostly missing from 2000). Every use of that clause is printed.
 */
class TheoryVersusSimulationTest {

    static final int CLIENTS = 6;
    static final int DIMENSION = 6;
    static final int ROUNDS = 400;
    static final int TRIALS = 2000;
    static final long SEED = 2024L;

    static Stream<Arguments> cases() {
        final double[][] budgets = {{0.0, 0.0}, {6.25e-4, 6.25e-4}, {1e-2, 1e-2}, {1e-2, 0.0}, {0.0, 1e-2}};
        return Stream.of(budgets).flatMap(b -> Stream.of(2, 3, 4, 5, 6).map(c -> Arguments.of(c, b[0], b[1])));
    }

    static Experiment experiment(int selected, double uplink, double downlink) {
        return new Experiment(CLIENTS, DIMENSION, 1.0, SampleCounts.uniform(2, 5), ROUNDS, TRIALS, SEED,
                SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, selected, uplink, downlink)));
    }

    @ParameterizedTest(name = "C = {0}, uplink {1}, downlink {2}")
    @MethodSource("cases")
    void predictionMatchesMonteCarlo(int selected, double uplink, double downlink) {
        final Experiment experiment = experiment(selected, uplink, downlink);
        final FederatedProblem problem = experiment.generateProblem();
        final MonteCarloCurve simulated =
                MonteCarloCurve.simulate(experiment, problem, experiment.series().get(0));
        final LearningCurve predicted = RerceMeanSquareTheory.of(problem, selected, uplink, downlink).predict(ROUNDS);

        double worstGap = 0.0;
        int worstAt = 0;
        int statistical = 0;
        for (int n = 1; n <= ROUNDS; n = (n == 1) ? 10 : n + 10) {
            final double theory = predicted.afterRound(n);
            final double mean = simulated.afterRound(n);
            final double gap = Math.abs(Nmse.toDb(theory) - Nmse.toDb(mean));
            final boolean withinStandardErrors = Math.abs(theory - mean) <= 5.0 * simulated.standardErrorAfterRound(n);
            if (gap > 0.5) {
                statistical++;
                System.out.println(String.format(Locale.ROOT,
                        "  C=%d up=%s down=%s round %d: gap %.3f dB, %.1f standard errors (%.1f%% of the mean)",
                        selected, SeriesSpec.format(uplink), SeriesSpec.format(downlink), n, gap,
                        Math.abs(theory - mean) / simulated.standardErrorAfterRound(n),
                        100.0 * simulated.standardErrorAfterRound(n) / mean));
                assertTrue(withinStandardErrors, "round " + n + ": " + gap + " dB and more than 5 standard errors");
            }
            if (gap > worstGap) {
                worstGap = gap;
                worstAt = n;
            }
        }
        final double steadyGap = predicted.steadyStateDb() - simulated.steadyStateDb();
        System.out.println(String.format(Locale.ROOT,
                "theory-vs-sim C=%d up=%s down=%s: predicted %.3f dB, simulated %.3f dB, gap %+.3f dB; "
                        + "worst curve gap %.3f dB at round %d; %d rounds past 0.5 dB",
                selected, SeriesSpec.format(uplink), SeriesSpec.format(downlink), predicted.steadyStateDb(),
                simulated.steadyStateDb(), steadyGap, worstGap, worstAt, statistical));
        assertEquals(simulated.steadyStateDb(), predicted.steadyStateDb(), 0.2, "steady state");
    }

    /** `dual-free` runs the rules of `rerce` with everyone polled, start-up included: C = K. */
    @ParameterizedTest(name = "uplink {0}, downlink {1}")
    @CsvSource({"0.01, 0.01", "0.01, 0.0"})
    void predictsDualFreeAsRerceAtFullParticipation(double uplink, double downlink) {
        final Experiment experiment = new Experiment(CLIENTS, DIMENSION, 1.0, SampleCounts.uniform(2, 5), ROUNDS,
                TRIALS, SEED, SchedulingPolicy.UNIFORM,
                List.of(new SeriesSpec(FederatedAlgorithm.DUAL_FREE, CLIENTS, uplink, downlink)));
        final FederatedProblem problem = experiment.generateProblem();
        final MonteCarloCurve simulated = MonteCarloCurve.simulate(experiment, problem, experiment.series().get(0));
        final double predicted = RerceMeanSquareTheory.of(problem, CLIENTS, uplink, downlink).predict(ROUNDS).steadyStateDb();
        System.out.println(String.format(Locale.ROOT, "theory-vs-sim dual-free up=%s down=%s: predicted %.3f dB, "
                + "simulated %.3f dB", SeriesSpec.format(uplink), SeriesSpec.format(downlink), predicted,
                simulated.steadyStateDb()));
        assertEquals(simulated.steadyStateDb(), predicted, 0.2);
    }
}
