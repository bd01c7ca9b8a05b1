package io.fedlink.core.theory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.data.FederatedProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shape of the exact prediction at K = L = 6 (400 rounds): it rises with either link's variance
 * (the sweeps of SPEC 6: one link swept over [0, 1e-2] with the other at 0 or 1e-2) and falls as
 * more clients are polled.
 */
class PredictionShapeTest {

    private static double steadyState(int selected, double uplink, double downlink) {
        final FederatedProblem problem = SmallScaleProblem.get();
        return RerceMeanSquareTheory.of(problem, selected, SmallScaleProblem.links(uplink, downlink))
                .predict(SmallScaleProblem.ROUNDS).steadyStateDb();
    }

    @ParameterizedTest(name = "C = {0}, downlink {1}")
    @CsvSource({"2, 0.0", "2, 0.01", "4, 0.0", "4, 0.01", "6, 0.0", "6, 0.01"})
    void risesWithUplinkVariance(int selected, double downlink) {
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= 10; i++) {
            final double value = steadyState(selected, i * 1e-3, downlink);
            assertTrue(value > previous, "uplink " + i * 1e-3 + ": " + value + " after " + previous);
            previous = value;
        }
    }

    @ParameterizedTest(name = "C = {0}, uplink {1}")
    @CsvSource({"2, 0.0", "2, 0.01", "4, 0.0", "4, 0.01", "6, 0.0", "6, 0.01"})
    void risesWithDownlinkVariance(int selected, double uplink) {
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= 10; i++) {
            final double value = steadyState(selected, uplink, i * 1e-3);
            assertTrue(value > previous, "downlink " + i * 1e-3 + ": " + value + " after " + previous);
            previous = value;
        }
    }

    @ParameterizedTest(name = "uplink {0}, downlink {1}")
    @CsvSource({"0.0, 0.0", "6.25e-4, 6.25e-4", "0.01, 0.01", "0.01, 0.0", "0.0, 0.01"})
    void fallsAsMoreClientsArePolled(double uplink, double downlink) {
        double previous = Double.POSITIVE_INFINITY;
        for (int selected = 1; selected <= SmallScaleProblem.CLIENTS; selected++) {
            final double value = steadyState(selected, uplink, downlink);
            assertTrue(value < previous, "C = " + selected + ": " + value + " after " + previous);
            previous = value;
        }
    }
}
