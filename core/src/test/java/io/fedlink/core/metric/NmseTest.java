package io.fedlink.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The metric of SPEC section 5. */
class NmseTest {

    @Test
    void steadyStateWindowIsTheLastTwentyPercentOfRounds() {
        assertEquals(100, Nmse.steadyStateWindow(500));
        assertEquals(50, Nmse.steadyStateWindow(250));
        assertEquals(20, Nmse.steadyStateWindow(100));
        assertEquals(2, Nmse.steadyStateWindow(7));    // ceil(1.4)
        assertEquals(1, Nmse.steadyStateWindow(5));
        assertEquals(1, Nmse.steadyStateWindow(3));    // ceil(0.6)
        assertEquals(1, Nmse.steadyStateWindow(1));
    }

    @Test
    void steadyStateIsTheLinearMeanOfTheWindowInDb() {
        // Ten rounds: the window is the last two, 1e-3 and 1e-1. Their linear mean is 0.0505, i.e.
        // -12.967 dB; a mean in dB would give -20 dB, and a window of three -13.2 dB.
        final double[] curve = {1, 1, 1, 1, 1, 1, 1, 1e-2, 1e-3, 1e-1};
        assertEquals(10 * Math.log10(0.0505), Nmse.steadyStateDb(curve), 1e-12);
        assertEquals(-12.967, Nmse.steadyStateDb(curve), 1e-3);
    }

    @Test
    void toDbIsTenLog10() {
        assertEquals(20.0, Nmse.toDb(100.0), 1e-12);
        assertEquals(-30.0, Nmse.toDb(1e-3), 1e-12);
        assertEquals(0.0, Nmse.toDb(1.0));
        final double[] db = Nmse.toDb(new double[] {10.0, 1e-6});
        assertEquals(10.0, db[0], 1e-12);
        assertEquals(-60.0, db[1], 1e-12);
    }

    @Test
    void divergedRoundIsWhereTheCurveLeavesTheFiniteRange() {
        // Bound: 1e6 x max(round-1 NMSE, 1).
        assertEquals(0, Nmse.divergedRound(new double[] {1e-2, 1e-3, 1e-4}), "a falling curve");
        assertEquals(0, Nmse.divergedRound(new double[] {1e-2, 0.9e6, 1e5}), "below 1e6 x 1: a high transient");
        assertEquals(2, Nmse.divergedRound(new double[] {1e-2, 1.1e6, 1e3}), "above 1e6 x 1");
        assertEquals(3, Nmse.divergedRound(new double[] {10, 5e6, 1.1e7}), "above 1e6 x 10, the round-1 value");
        assertEquals(2, Nmse.divergedRound(new double[] {1, Double.POSITIVE_INFINITY}));
        assertEquals(3, Nmse.divergedRound(new double[] {1, 2, Double.NaN}));
        assertEquals(1, Nmse.divergedRound(new double[] {Double.NaN, 1}));
        assertEquals(0, Nmse.divergedRound(new double[0]));
        // A high but flat floor (very noisy links) is not divergence.
        final double[] flat = new double[500];
        java.util.Arrays.fill(flat, 1e4);
        assertEquals(0, Nmse.divergedRound(flat));
    }
}
