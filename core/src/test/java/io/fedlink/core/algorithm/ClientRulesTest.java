package io.fedlink.core.algorithm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.DataGenerator;
import io.fedlink.core.data.SampleCounts;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One or two steps of each client rule against the SPEC's update equations evaluated with EJML
 * matrix products, for a client with L = 5 and d_k = 3 (underdetermined, so P_k is far from both 0
 * and I). The rules use a column-ordered product of their own, so agreement is to rounding: 1e-12
 * relative to the vectors' size (~1), far below any algebraic slip.
 */
class ClientRulesTest {

    private static final double RHO = 2.0;
    private static final double TOLERANCE = 1e-12;
    private static final double SPECTRAL_TOLERANCE = 1e-10;
    private static final ClientConstants CONSTANTS =
            ClientConstants.of(new DataGenerator(61, 5, SampleCounts.uniform(3, 3)).client(2), RHO);

    private static final double[] RECEIVED = {0.5, -1.0, 2.0, 0.25, -0.75};
    private static final double[] RECEIVED_LATER = {0.4, -0.9, 1.5, 0.0, -0.5};

    private static DMatrixRMaj column(double[] v) {
        return new DMatrixRMaj(v.length, 1, true, v);
    }

    /** (I - P) w + P s, by EJML. */
    private static double[] step(double[] w, double[] s) {
        final DMatrixRMaj p = CONSTANTS.penalisedMatrix();
        final DMatrixRMaj difference = new DMatrixRMaj(w.length, 1);
        CommonOps_DDRM.subtract(column(s), column(w), difference);
        final DMatrixRMaj result = column(w.clone());
        CommonOps_DDRM.multAdd(p, difference, result);
        return result.data;
    }

    private static double[] plus(double[] a, double scaleB, double[] b) {
        final double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + scaleB * b[i];
        }
        return out;
    }

    @Test
    void penalisedMatrixIsNeitherZeroNorIdentity() {
        // Otherwise the step tests below could not tell (I - P) w from w or from s.
        final DMatrixRMaj p = CONSTANTS.penalisedMatrix();
        final double trace = CommonOps_DDRM.trace(p);
        assertTrue(trace > 1.0 && trace < 4.5, "trace of P_k " + trace);   // ~ L - d_k = 2 eigenvalues near 1
    }

    @ParameterizedTest
    @EnumSource(value = FederatedAlgorithm.class, names = {"DUAL_FREE", "RERCE"})
    void dualFreeClientStepsTowardsTheReceivedExtrapolationAndUploadsItsModel(FederatedAlgorithm algorithm) {
        final ClientRule client = algorithm.newClient(CONSTANTS);
        final double[] wh = CONSTANTS.localSolution();
        final double[] upload = new double[5];
        client.startUpload(upload);
        assertArrayEquals(wh, upload);                                   // start: upload wh_k
        final double[] received = RECEIVED.clone();
        client.onPoll(received, upload);
        final double[] expected = step(wh, RECEIVED);                   // (I - rho N) w + rho N s~  (11)
        assertArrayEquals(expected, client.model(), TOLERANCE);
        assertArrayEquals(client.model(), upload);                      // uploads w_k
        assertArrayEquals(RECEIVED, received);                          // the received vector is not modified
        client.onIdleRound();
        assertArrayEquals(expected, client.model(), TOLERANCE);         // unpolled: unchanged (12)
        client.onPoll(RECEIVED_LATER, upload);
        assertArrayEquals(step(expected, RECEIVED_LATER), client.model(), TOLERANCE);
    }

    @Test
    void admmClientUpdatesDualThenModelAndUploadsModelPlusScaledDual() {
        final ClientRule client = FederatedAlgorithm.ADMM.newClient(CONSTANTS);
        final double[] wh = CONSTANTS.localSolution();
        final DMatrixRMaj n = CONSTANTS.penalisedMatrix();
        CommonOps_DDRM.scale(1.0 / RHO, n);                              // N_k
        final double[] upload = new double[5];
        client.startUpload(upload);
        assertArrayEquals(wh, upload);                                   // w + z / rho with z = 0

        double[] w = wh.clone();
        double[] z = new double[5];
        for (double[] received : new double[][] {RECEIVED, RECEIVED_LATER}) {
            client.onPoll(received, upload);
            z = plus(z, RHO, plus(w, -1.0, received));                   // z <- z + rho (w - w~)     (5)
            final DMatrixRMaj correction = new DMatrixRMaj(5, 1);
            CommonOps_DDRM.mult(n, column(plus(z, -RHO, received)), correction);
            w = plus(wh, -1.0, correction.data);                         // w <- wh - N (z - rho w~)  (6)
            assertArrayEquals(w, client.model(), TOLERANCE);
            assertArrayEquals(plus(w, 1.0 / RHO, z), upload, TOLERANCE); // uploads w + z / rho
        }
    }

    @Test
    void continualClientStepsEveryRoundTowardsItsLastReceivedVectorAndUploadsTheExtrapolation() {
        final ClientRule client = FederatedAlgorithm.RERCE_CONTINUAL.newClient(CONSTANTS);
        final double[] wh = CONSTANTS.localSolution();
        final double[] upload = new double[5];
        client.startUpload(upload);
        assertArrayEquals(plus(new double[5], 2.0, wh), upload, SPECTRAL_TOLERANCE);   // t = 2 wh - w_{-1}, w_{-1} = 0
        assertArrayEquals(wh, client.model());                                 // the start does not step
        // The rule steps in P_k's eigenbasis, computed from X_k's Gram matrix; the reference step
        // uses P_k from an explicit inverse of 2 X^T W X + rho I (condition number ~1e5 here, with
        // W = 1e4), so the two agree to ~1e-11, not to the last digit.

        client.onIdleRound();                                            // never polled: m_k = 0
        final double[] w1 = step(wh, new double[5]);
        assertArrayEquals(w1, client.model(), SPECTRAL_TOLERANCE);

        client.onPoll(RECEIVED, upload);                                 // m_k <- s~, then the same step
        final double[] w2 = step(w1, RECEIVED);
        assertArrayEquals(w2, client.model(), SPECTRAL_TOLERANCE);
        assertArrayEquals(plus(w2, 1.0, plus(w2, -1.0, w1)), upload, SPECTRAL_TOLERANCE);   // t = 2 w_new - w_old (13)

        client.onIdleRound();                                            // not polled: steps towards the kept m_k
        assertArrayEquals(step(w2, RECEIVED), client.model(), SPECTRAL_TOLERANCE);
    }

    @Test
    void continualClientPolledFromTheStartTracksTheDenseStepsAndTheirDeviation() {
        // First action a poll (w_perp still the start's), then polls and idle rounds in turn; the
        // metric against ||w - w*||^2 of the dense model, for a w* in general position and for one
        // with s~ - w* inside the span of the samples (the Pythagorean difference cancels to 0).
        final ClientRule client = FederatedAlgorithm.RERCE_CONTINUAL.newClient(CONSTANTS);
        final double[] general = {0.3, 0.1, -0.2, 0.6, 0.05};
        final double[] upload = new double[5];
        double[] w = CONSTANTS.localSolution().clone();
        double[] m = new double[5];
        final double[][] received = {RECEIVED, null, RECEIVED_LATER, null, null, RECEIVED};
        for (double[] s : received) {
            final double[] old = w;
            if (s != null) {
                m = s;
                client.onPoll(s, upload);
            } else {
                client.onIdleRound();
            }
            w = step(old, m);
            assertArrayEquals(w, client.model(), SPECTRAL_TOLERANCE);
            if (s != null) {
                assertArrayEquals(plus(w, 1.0, plus(w, -1.0, old)), upload, SPECTRAL_TOLERANCE);   // (13)
            }
            assertEquals(distance(w, general), client.squaredDeviation(general), SPECTRAL_TOLERANCE);
        }
        // s~ - w* = U a for the last s~: w_perp = (I - U U^T) w*, its part of the metric is 0
        final double[] inSpan = CONSTANTS.dataEigenbasis().basisMatrix().getData().clone();
        final double[] optimum = RECEIVED.clone();
        for (int i = 0; i < 5; i++) {
            for (int l = 0; l < CONSTANTS.dataEigenbasis().rank(); l++) {
                optimum[i] -= 0.1 * (l + 1) * inSpan[i * CONSTANTS.dataEigenbasis().rank() + l];
            }
        }
        assertEquals(distance(w, optimum), client.squaredDeviation(optimum), SPECTRAL_TOLERANCE);
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum;
    }

    @Test
    void algorithmsDeclareTheStartUpParticipationAndIdleStepOfTheSpec() {
        assertEquals(FederatedAlgorithm.StartUp.ALL_CLIENTS, FederatedAlgorithm.ADMM.startUp());
        assertEquals(FederatedAlgorithm.StartUp.ALL_CLIENTS, FederatedAlgorithm.DUAL_FREE.startUp());
        assertEquals(FederatedAlgorithm.StartUp.SCHEDULED_CLIENTS, FederatedAlgorithm.RERCE.startUp());
        assertEquals(FederatedAlgorithm.StartUp.ALL_CLIENTS, FederatedAlgorithm.RERCE_CONTINUAL.startUp());
        assertTrue(FederatedAlgorithm.DUAL_FREE.requiresFullParticipation());
        assertFalse(FederatedAlgorithm.ADMM.requiresFullParticipation());
        assertFalse(FederatedAlgorithm.RERCE.requiresFullParticipation());
        assertFalse(FederatedAlgorithm.RERCE_CONTINUAL.requiresFullParticipation());
        assertTrue(FederatedAlgorithm.RERCE_CONTINUAL.stepsWhenNotPolled());
        assertFalse(FederatedAlgorithm.RERCE.stepsWhenNotPolled());
        assertFalse(FederatedAlgorithm.ADMM.stepsWhenNotPolled());
        assertFalse(FederatedAlgorithm.DUAL_FREE.stepsWhenNotPolled());
    }

    @Test
    void algorithmsAreFoundByTheirCommandLineNames() {
        for (FederatedAlgorithm algorithm : FederatedAlgorithm.values()) {
            assertEquals(algorithm, FederatedAlgorithm.byId(algorithm.id()));
        }
        assertEquals(FederatedAlgorithm.RERCE_CONTINUAL, FederatedAlgorithm.byId(" RERCE-Continual "));
        assertEquals("admm, dual-free, rerce, rerce-continual", FederatedAlgorithm.ids());
        assertThrows(IllegalArgumentException.class, () -> FederatedAlgorithm.byId("fedavg"));
    }
}
