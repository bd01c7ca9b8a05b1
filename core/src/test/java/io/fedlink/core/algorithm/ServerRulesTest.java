package io.fedlink.core.algorithm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server rules of SPEC section 4, obtained as a runtime obtains them, through
 * {@link FederatedAlgorithm#newServer}. Expected values are written out by hand from the SPEC's
 * formulas; the inputs are small binary fractions, so the arithmetic is exact and so is the check.
 */
class ServerRulesTest {

    /** Every algorithm found on the class path: the paper's four, and the plug-ins where they are there. */
    static java.util.List<FederatedAlgorithm> algorithms() {
        return FederatedAlgorithm.all();
    }

    static java.util.List<FederatedAlgorithm> dualFreeAlgorithms() {
        return java.util.List.of(FederatedAlgorithm.DUAL_FREE, FederatedAlgorithm.RERCE);
    }

    private static final int K = 4;
    private static final int L = 3;

    private static final double[] A = {1.0, 2.0, -4.0};
    private static final double[] B = {3.0, -2.0, 0.5};
    private static final double[] C = {0.25, 8.0, 1.0};
    private static final double[] D = {-1.0, 0.0, 2.0};

    /** One round: begin, the given (id, upload) pairs in order, close. */
    private static void round(ServerRule server, Object... idsAndUploads) {
        server.beginRound(idsAndUploads.length / 2);
        for (int i = 0; i < idsAndUploads.length; i += 2) {
            server.receive((Integer) idsAndUploads[i], (double[]) idsAndUploads[i + 1]);
        }
        server.closeRound();
    }

    // ---- Validation, common to every server ----------------------------------------------------

    @ParameterizedTest
    @MethodSource("algorithms")
    void uploadsOutOfAscendingIdOrderAreRejected(FederatedAlgorithm algorithm) {
        final ServerRule server = algorithm.newServer(K, L);
        server.beginRound(K);
        server.receive(2, A);
        assertThrows(IllegalArgumentException.class, () -> server.receive(1, B));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void secondUploadFromTheSameClientInARoundIsRejected(FederatedAlgorithm algorithm) {
        final ServerRule server = algorithm.newServer(K, L);
        server.beginRound(K);
        server.receive(1, A);
        assertThrows(IllegalArgumentException.class, () -> server.receive(1, B));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void clientIdOutsideTheFederationIsRejected(FederatedAlgorithm algorithm) {
        final ServerRule server = algorithm.newServer(K, L);
        server.beginRound(K);
        assertThrows(IllegalArgumentException.class, () -> server.receive(-1, A));
        assertThrows(IllegalArgumentException.class, () -> server.receive(K, A));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void uploadOfWrongLengthIsRejected(FederatedAlgorithm algorithm) {
        final ServerRule server = algorithm.newServer(K, L);
        server.beginRound(K);
        assertThrows(IllegalArgumentException.class, () -> server.receive(0, new double[L + 1]));
        assertThrows(IllegalArgumentException.class, () -> server.receive(1, new double[L - 1]));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void idOrderStartsAfreshEachRound(FederatedAlgorithm algorithm) {
        final ServerRule server = algorithm.newServer(K, L);
        round(server, 3, A);
        server.beginRound(K);
        server.receive(0, B);                              // lower than last round's 3: allowed
        server.closeRound();
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void uploadArrayIsNotKept(FederatedAlgorithm algorithm) {
        // A runtime reuses its receive buffer; overwriting it after receive must not alter the result.
        final ServerRule reference = algorithm.newServer(K, L);
        round(reference, 0, A, 1, B, 2, C, 3, D);
        final ServerRule reused = algorithm.newServer(K, L);
        final double[] buffer = new double[L];
        final double[][] uploads = {A, B, C, D};
        reused.beginRound(K);
        for (int k = 0; k < K; k++) {
            System.arraycopy(uploads[k], 0, buffer, 0, L);
            reused.receive(k, buffer);
        }
        Arrays.fill(buffer, 1e9);
        reused.closeRound();
        assertArrayEquals(reference.broadcast(), reused.broadcast());
        assertArrayEquals(reference.globalModel(), reused.globalModel());
    }

    // ---- The extrapolating server of dual-free and rerce (SPEC 4.2, 4.3) ----------------------

    @ParameterizedTest
    @MethodSource("dualFreeAlgorithms")
    void extrapolatingServerStartsFromMeanAndTwiceTheMean(FederatedAlgorithm algorithm) {
        final ServerRule server = algorithm.newServer(K, L);
        round(server, 1, A, 3, B);                         // round 0: S_0 = {1, 3}
        final double[] mean = {2.0, 0.0, -1.75};           // w_0 = (A + B) / 2
        assertArrayEquals(mean, server.globalModel());
        assertArrayEquals(new double[] {4.0, 0.0, -3.5}, server.broadcast());   // s_0 = 2 w_0 - w_{-1}, w_{-1} = 0
    }

    @ParameterizedTest
    @MethodSource("dualFreeAlgorithms")
    void extrapolatingServerAveragesOnlyThisRoundsUploadsAndExtrapolates(FederatedAlgorithm algorithm) {
        final ServerRule server = algorithm.newServer(K, L);
        round(server, 1, A, 3, B);                         // w_0 = (2, 0, -1.75)
        round(server, 0, C, 2, D);                         // w_1 = (C + D) / 2, divided by C = 2 received
        final double[] w1 = {-0.375, 4.0, 1.5};
        assertArrayEquals(w1, server.globalModel());
        assertArrayEquals(new double[] {-2.75, 8.0, 4.75}, server.broadcast());  // s_1 = 2 w_1 - w_0
    }

    @ParameterizedTest
    @MethodSource("dualFreeAlgorithms")
    void extrapolatingServerHoldsTheModelThroughARoundWithNoUploads(FederatedAlgorithm algorithm) {
        final ServerRule server = algorithm.newServer(K, L);
        round(server, 1, A, 3, B);
        round(server);                                     // nothing arrived: w_1 = w_0
        final double[] w0 = {2.0, 0.0, -1.75};
        assertArrayEquals(w0, server.globalModel());
        assertArrayEquals(w0, server.broadcast());         // s_1 = 2 w_0 - w_0: no extrapolation of a held model
    }

    // ---- The averaging server of admm (SPEC 4.1) ----------------------------------------------

    @Test
    void admmServerBroadcastsTheMeanOfThisRoundsUploads() {
        final ServerRule server = FederatedAlgorithm.ADMM.newServer(K, L);
        round(server, 0, A, 1, B, 2, C, 3, D);
        assertArrayEquals(new double[] {0.8125, 2.0, -0.125}, server.globalModel());  // (A+B+C+D)/4
        round(server, 2, C, 3, D);
        final double[] mean = {-0.375, 4.0, 1.5};          // (C + D) / 2: earlier rounds do not count
        assertArrayEquals(mean, server.globalModel());
        assertArrayEquals(mean, server.broadcast());
    }

    @Test
    void admmServerHoldsTheModelThroughARoundWithNoUploads() {
        final ServerRule server = FederatedAlgorithm.ADMM.newServer(K, L);
        round(server, 1, A, 3, B);
        round(server);
        assertArrayEquals(new double[] {2.0, 0.0, -1.75}, server.broadcast());
    }

    // ---- The continual server (SPEC 4.4) ------------------------------------------------------

    @Test
    void continualServerAveragesTheLatestUploadOfEveryClientStaleOnesIncluded() {
        final ServerRule server = FederatedAlgorithm.RERCE_CONTINUAL.newServer(K, L);
        round(server, 0, A, 1, B, 2, C, 3, D);             // start: every client uploads t_k
        assertArrayEquals(new double[] {0.8125, 2.0, -0.125}, server.broadcast());   // s_0 = (A+B+C+D)/4
        final double[] fresh = {5.0, 2.0, 3.5};
        round(server, 2, fresh);                           // only client 2 heard: C replaced by fresh
        // s_1 = (A + B + fresh + D) / 4, with the stale A, B and D: divided by K, not by 1.
        assertArrayEquals(new double[] {2.0, 0.5, 0.5}, server.broadcast());
    }

    @Test
    void continualServerHoldsItsBroadcastThroughARoundWithNoUploads() {
        final ServerRule server = FederatedAlgorithm.RERCE_CONTINUAL.newServer(K, L);
        round(server, 0, A, 1, B, 2, C, 3, D);
        round(server);
        assertArrayEquals(new double[] {0.8125, 2.0, -0.125}, server.broadcast());
    }

    /**
     * The continual server's average (eq. 14) over uploads whose sum rounds, for K of every remainder mod
     * 4: bit for bit the plain loop, each element adding t~_0, t~_1, ... in client order to +0, then / K.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 4, 7, 100, 101})
    void continualBroadcastSumsInClientOrderBitForBit(int clients) {
        final int dimension = 19;
        final ServerRule server = FederatedAlgorithm.RERCE_CONTINUAL.newServer(clients, dimension);
        final java.util.Random random = new java.util.Random(clients);
        final double[][] uploads = new double[clients][dimension];
        server.beginRound(clients);
        for (int k = 0; k < clients; k++) {
            for (int i = 0; i < dimension; i++) {
                uploads[k][i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12) - 6);
            }
            server.receive(k, uploads[k]);
        }
        server.closeRound();
        final double[] expected = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            double sum = 0.0;
            for (int k = 0; k < clients; k++) {
                sum += uploads[k][i];
            }
            expected[i] = sum / clients;
        }
        for (int i = 0; i < dimension; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(Double.doubleToRawLongBits(expected[i]),
                    Double.doubleToRawLongBits(server.broadcast()[i]), "element " + i);
        }
    }
}
