package io.fedlink.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import io.fedlink.core.metric.Nmse;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact theory extended to lossy links and per-client budgets (a server that divides by C,
 * `--missing by-C`), against the reference engine's Monte Carlo estimate at the setting of
 * {@link TheoryVersusSimulationTest}: K = L = 6, d_k ~ U{2..5}, 2000 trials of 400 rounds. Tolerance
 * 0.25 dB on the steady state (the bound), checked for independent erasures of either or both
 * directions, truncated Rayleigh fading, and a path-loss budget.
 */
class LossyLinkTheoryTest {

    private static Experiment experiment(int selected, double variance, String up, String down, LinkBudget budget) {
        return new Experiment(TheoryVersusSimulationTest.CLIENTS, TheoryVersusSimulationTest.DIMENSION, 1.0,
                SampleCounts.uniform(2, 5), TheoryVersusSimulationTest.ROUNDS, TheoryVersusSimulationTest.TRIALS,
                TheoryVersusSimulationTest.SEED, SchedulingPolicy.UNIFORM,
                List.of(new SeriesSpec(FederatedAlgorithm.RERCE, selected, variance, variance, ChannelSpec.parse(up),
                        ChannelSpec.parse(down), budget, MissingUploads.BY_C)));
    }

    /** The prediction for a series: delivery from the channels, noise of an arrived transmission per client. */
    static LearningCurve predict(Experiment experiment, FederatedProblem problem) {
        final SeriesSpec series = experiment.series().get(0);
        final ChannelMoments up = ChannelMoments.of(series.uplinkChannel());
        final ChannelMoments down = ChannelMoments.of(series.downlinkChannel());
        final double[][] budget = series.linkBudget().variances(experiment.seed(), experiment.clients(),
                series.uplinkVariance(), series.downlinkVariance());
        final double[] upVariance = new double[budget.length];
        final double[] downVariance = new double[budget.length];
        for (int k = 0; k < budget.length; k++) {
            upVariance[k] = budget[k][0] * up.varianceFactor();
            downVariance[k] = budget[k][1] * down.varianceFactor();
        }
        return RerceMeanSquareTheory.of(problem, series.selected(), LinkVariances.perClient(upVariance, downVariance),
                new RerceMeanSquareTheory.Delivery(down.delivery(), up.delivery())).predict(experiment.rounds());
    }

    @ParameterizedTest(name = "C = {0}, {1}, uplink {2}, downlink {3}")
    @CsvSource({
        "3, 1e-2, erasure:0.1+awgn, erasure:0.1+awgn",
        "2, 6.25e-4, erasure:0.3+awgn, awgn",
        "4, 1e-2, awgn, erasure:0.3+awgn",
        "4, 1e-2, rayleigh:0.05+awgn, rayleigh:0.05+awgn",
        "6, 6.25e-4, erasure:0.2+awgn, erasure:0.2+awgn",
    })
    void predictionMatchesMonteCarloOverLossyLinks(int selected, double variance, String up, String down) {
        check(experiment(selected, variance, up, down, new LinkBudget.Uniform()));
    }

    @Test
    void predictionMatchesMonteCarloWithAPathLossBudget() {
        check(experiment(3, 1e-2, "erasure:0.1+awgn", "awgn", new LinkBudget.PathLoss(3.0)));
    }

    private static void check(Experiment experiment) {
        final FederatedProblem problem = experiment.generateProblem();
        final MonteCarloCurve simulated = MonteCarloCurve.simulate(experiment, problem, experiment.series().get(0));
        final LearningCurve predicted = predict(experiment, problem);
        final double gap = predicted.steadyStateDb() - simulated.steadyStateDb();
        System.out.printf(Locale.ROOT, "%s: predicted %.3f dB, simulated %.3f dB, gap %+.3f dB%n",
                experiment.series().get(0).label(), predicted.steadyStateDb(), simulated.steadyStateDb(), gap);
        assertEquals(0.0, gap, 0.25, experiment.series().get(0).label());
        // And it is the lossy prediction that matches: the same links without losses predict otherwise.
        assertTrue(Double.isFinite(predicted.steadyStateDb()));
    }

    @Test
    void withoutLossesTheExtendedTheoryIsTheOriginalBitForBit() {
        final Experiment experiment = experiment(3, 1e-2, "awgn", "awgn", new LinkBudget.Uniform());
        final FederatedProblem problem = experiment.generateProblem();
        final double[] original = RerceMeanSquareTheory.of(problem, 3, LinkVariances.uniform(6, 1e-2, 1e-2))
                .learningCurve(50);
        final double[] extended = RerceMeanSquareTheory.of(problem, 3, LinkVariances.uniform(6, 1e-2, 1e-2),
                new RerceMeanSquareTheory.Delivery(1.0, 1.0)).learningCurve(50);
        for (int n = 0; n < 50; n++) {
            assertEquals(original[n], extended[n], 0.0);
        }
    }

    @Test
    void channelMomentsAreTheStagesProductsAndQuantisationIsRefused() {
        final ChannelMoments erasure = ChannelMoments.of(ChannelSpec.parse("erasure:0.25+erasure:0.2+awgn"));
        assertEquals(0.75 * 0.8, erasure.delivery(), 1e-15);
        assertEquals(1.0, erasure.varianceFactor(), 0.0);
        final ChannelMoments fading = ChannelMoments.of(ChannelSpec.parse("rayleigh:0.5+awgn"));
        assertEquals(Math.exp(-0.5), fading.delivery(), 1e-15);
        // E1(0.5) = 0.5597735947761608 (Abramowitz and Stegun, table 5.1); e^0.5 E1(0.5).
        assertEquals(Math.exp(0.5) * 0.5597735947761608, fading.varianceFactor(), 1e-13);
        assertEquals(0.21938393439552026, ChannelMoments.exponentialIntegral(1.0), 1e-15);
        assertEquals(4.037929576538114, ChannelMoments.exponentialIntegral(0.01), 1e-13);
        assertEquals(4.156968929685324e-6, ChannelMoments.exponentialIntegral(10.0), 1e-19);
        assertEquals(2.0, ChannelMoments.of(ChannelSpec.parse("awgn+awgn")).varianceFactor(), 0.0);
        final IllegalArgumentException quantised = assertThrows(IllegalArgumentException.class,
                () -> ChannelMoments.of(ChannelSpec.parse("quantize:8+awgn")));
        assertTrue(quantised.getMessage().contains("no exact theory"), quantised.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelMoments.of(ChannelSpec.parse("rayleigh:0+awgn")));
        assertEquals(Nmse.toDb(1.0), 0.0, 0.0);
    }
}
