package io.fedlink.core.algorithm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.ClientData;
import io.fedlink.core.data.DataGenerator;
import io.fedlink.core.data.ExactPenalised;
import io.fedlink.core.data.SampleCounts;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Steps of each client rule against the SPEC's update equations evaluated with EJML matrix products
 * and a P_k computed independently from the raw data in 50-digit arithmetic ({@link ExactPenalised}),
 * for a client with L = 5 and d_k = 3 (underdetermined, so P_k is far from both 0 and I); the
 * continual rule also for a full-rank client (d_k > L) and a rank-deficient one. Agreement is to
 * rounding: 1e-12 relative to the vectors' size (~1), far below any algebraic slip.
 */
class ClientRulesTest {

    static java.util.List<FederatedAlgorithm> dualFreeAlgorithms() {
        return java.util.List.of(FederatedAlgorithm.DUAL_FREE, FederatedAlgorithm.RERCE);
    }

    private static final double RHO = 2.0;
    private static final double TOLERANCE = 1e-12;
    private static final ClientData DATA = new DataGenerator(61, 5, SampleCounts.uniform(3, 3)).client(2);
    private static final ClientConstants CONSTANTS = ClientConstants.of(DATA, RHO);
    private static final DMatrixRMaj P_REFERENCE = ExactPenalised.of(DATA, RHO);

    private static final double[] RECEIVED = {0.5, -1.0, 2.0, 0.25, -0.75};
    private static final double[] RECEIVED_LATER = {0.4, -0.9, 1.5, 0.0, -0.5};

    private static DMatrixRMaj column(double[] v) {
        return new DMatrixRMaj(v.length, 1, true, v);
    }

    /** (I - P) w + P s, by EJML with the reference P_k. */
    private static double[] step(double[] w, double[] s) {
        return step(P_REFERENCE, w, s);
    }

    private static double[] step(DMatrixRMaj p, double[] w, double[] s) {
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
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(P_REFERENCE.get(i, j), p.get(i, j), TOLERANCE, "P_k at (" + i + ", " + j + ")");
            }
        }
        final double trace = CommonOps_DDRM.trace(p);
        assertTrue(trace > 1.0 && trace < 4.5, "trace of P_k " + trace);   // ~ L - d_k = 2 eigenvalues near 1
    }

    @ParameterizedTest
    @MethodSource("dualFreeAlgorithms")
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
        final DMatrixRMaj n = P_REFERENCE.copy();
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
        assertArrayEquals(plus(new double[5], 2.0, wh), upload, TOLERANCE);   // t = 2 wh - w_{-1}, w_{-1} = 0
        assertArrayEquals(wh, client.model());                                 // the start does not step

        client.onIdleRound();                                            // never polled: m_k = 0
        final double[] w1 = step(wh, new double[5]);
        assertArrayEquals(w1, client.model(), TOLERANCE);

        client.onPoll(RECEIVED, upload);                                 // m_k <- s~, then the same step
        final double[] w2 = step(w1, RECEIVED);
        assertArrayEquals(w2, client.model(), TOLERANCE);
        assertArrayEquals(plus(w2, 1.0, plus(w2, -1.0, w1)), upload, TOLERANCE);   // t = 2 w_new - w_old (13)

        client.onIdleRound();                                            // not polled: steps towards the kept m_k
        assertArrayEquals(step(w2, RECEIVED), client.model(), TOLERANCE);
    }

    /** A client with d_k = 6 > L = 4 (r = L, no identity part). */
    private static ClientData fullRank() {
        return new DataGenerator(62, 4, SampleCounts.uniform(6, 6)).client(1);
    }

    /** d_k = 6 > L = 4 but X_k of rank 3 (its last column repeats the first): one singular value 0. */
    private static ClientData rankDeficient() {
        final ClientData data = fullRank();
        final DMatrixRMaj x = data.regressors().copy();
        for (int r = 0; r < x.numRows; r++) {
            x.set(r, 3, x.get(r, 0));
        }
        return new ClientData(data.clientId(), x, data.observations(), data.weight());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> continualClients() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("d_k < L", DATA),
                org.junit.jupiter.params.provider.Arguments.of("d_k > L", fullRank()),
                org.junit.jupiter.params.provider.Arguments.of("rank-deficient", rankDeficient()));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("continualClients")
    void continualClientPolledFromTheStartTracksTheDenseStepsAndTheirDeviation(String name, ClientData data) {
        // First action a poll (w_perp still the start's), then polls and idle rounds in turn; the
        // metric against ||w - w*||^2 of the dense model, for a w* in general position and for one
        // with s~ - w* inside the span of the samples (the Pythagorean difference cancels to 0).
        final int l = data.dimension();
        final ClientConstants constants = ClientConstants.of(data, RHO);
        final DMatrixRMaj reference = ExactPenalised.of(data, RHO);
        final ClientRule client = FederatedAlgorithm.RERCE_CONTINUAL.newClient(constants);
        final double[] general = vector(l, 0.7);
        final double[] first = vector(l, 1.3);
        final double[] later = vector(l, 2.9);
        final double[] upload = new double[l];
        double[] w = constants.localSolution().clone();
        double[] m = new double[l];
        final double[][] received = {first, null, later, null, null, first};
        for (double[] s : received) {
            final double[] old = w;
            if (s != null) {
                m = s;
                client.onPoll(s, upload);
            } else {
                client.onIdleRound();
            }
            w = step(reference, old, m);
            assertArrayEquals(w, client.model(), TOLERANCE);
            if (s != null) {
                assertArrayEquals(plus(w, 1.0, plus(w, -1.0, old)), upload, TOLERANCE);   // (13)
            }
            assertEquals(distance(w, general), client.squaredDeviation(general), TOLERANCE);
        }
        final io.fedlink.core.linalg.Eigenbasis basis = constants.dataEigenbasis();
        final DMatrixRMaj u = basis.basisMatrix();
        final double[] optimum = first.clone();                          // first - U a: s~ - w* = U a
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < basis.rank(); j++) {
                optimum[i] -= 0.1 * (j + 1) * u.get(i, j);
            }
        }
        assertEquals(distance(w, optimum), client.squaredDeviation(optimum), TOLERANCE);
    }

    /** A fixed vector of length n with entries of order 1. */
    private static double[] vector(int n, double phase) {
        final double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(phase * (i + 1));
        }
        return v;
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
        for (FederatedAlgorithm algorithm : FederatedAlgorithm.all()) {
            assertEquals(algorithm, FederatedAlgorithm.byId(algorithm.id()));
        }
        assertEquals(FederatedAlgorithm.RERCE_CONTINUAL, FederatedAlgorithm.byId(" RERCE-Continual "));
        assertEquals("admm, dual-free, rerce, rerce-continual", FederatedAlgorithm.ids());
        assertThrows(IllegalArgumentException.class, () -> FederatedAlgorithm.byId("fedavg"));
    }
}
