package io.fedlink.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.AlgorithmSettings;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.algorithm.ServerSetup;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.ClientData;
import io.fedlink.core.data.DataGenerator;
import io.fedlink.core.data.SampleCounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The baselines' rules against a direct dense recomputation of their formulas (docs/algorithms.md)
 * from the client's raw data: the rules work in the eigenbasis of the client's Hessian, the tests with
 * H = 2 w X^T X as it stands, so they share nothing but the data. Tolerance 1e-9 relative: the
 * paper's weight w = 1e4 makes H's entries ~1e6 and its condition ~1e2-1e3.
 */
class BaselineRulesTest {

    private static final int L = 6;
    /** A client with fewer samples than L (its Hessian is singular, as in the paper's setting). */
    private static final ClientData DATA = new DataGenerator(5, L, SampleCounts.uniform(4, 4)).client(2);
    private static final ClientConstants CONSTANTS = ClientConstants.of(DATA, 1.0);
    private static final Dense DENSE = new Dense(DATA);
    private static final double[] RECEIVED = {0.3, -1.1, 0.7, 0.2, -0.4, 1.5};

    private static AlgorithmSettings settings(FederatedAlgorithm algorithm, Map<String, String> values) {
        return AlgorithmSettings.of(algorithm, values);
    }

    /** E dense gradient steps from the received model, with the proximal term mu (w - w~). */
    private static double[] denseLocalSteps(int steps, double eta, double mu, double[] from) {
        final double[] w = from.clone();
        for (int e = 0; e < steps; e++) {
            final double[] grad = DENSE.gradient(w);
            for (int i = 0; i < L; i++) {
                w[i] -= eta * (grad[i] + mu * (w[i] - from[i]));
            }
        }
        return w;
    }

    @Test
    void fedavgClientTakesELocalGradientStepsFromTheReceivedModel() {
        final ClientRule client = new FedAvg().newClient(CONSTANTS, settings(new FedAvg(),
                Map.of("local-steps", "7", "step-size", "0.8")));
        final double[] upload = new double[L];
        client.startUpload(upload);
        assertArrayEquals(CONSTANTS.localSolution(), upload, 0.0, "the start-up upload is wh_k");
        client.onPoll(RECEIVED, upload);
        final double[] expected = denseLocalSteps(7, 0.8 / DENSE.largest, 0.0, RECEIVED);
        assertTrue(Dense.relativeError(upload, expected) < 1e-9, Dense.relativeError(upload, expected) + "");
        assertArrayEquals(upload, client.model(), 0.0, "the client keeps what it uploads");
        assertEquals(DENSE.largest, CONSTANTS.largestCurvature(), 1e-9 * DENSE.largest);
    }

    @Test
    void fedproxClientAddsTheProximalTermAndScalesItsStepByIt() {
        final ClientRule client = new FedProx().newClient(CONSTANTS, settings(new FedProx(),
                Map.of("local-steps", "4", "step-size", "1.5", "mu", "0.3")));
        final double[] upload = new double[L];
        client.onPoll(RECEIVED, upload);
        final double mu = 0.3 * DENSE.largest;
        final double[] expected = denseLocalSteps(4, 1.5 / (DENSE.largest + mu), mu, RECEIVED);
        assertTrue(Dense.relativeError(upload, expected) < 1e-9, Dense.relativeError(upload, expected) + "");
    }

    @Test
    void scaffoldClientCorrectsItsStepsWithTheControlVariatesAndUploadsBothDeltas() {
        final ClientRule client = new Scaffold().newClient(CONSTANTS, settings(new Scaffold(),
                Map.of("local-steps", "3", "step-size", "0.9")));
        final double[] start = new double[2 * L];
        client.startUpload(start);
        assertArrayEquals(CONSTANTS.localSolution(), java.util.Arrays.copyOf(start, L), 0.0);
        assertArrayEquals(new double[L], java.util.Arrays.copyOfRange(start, L, 2 * L), 0.0);

        final double eta = 0.9 / DENSE.largest;
        double[] control = new double[L];                               // c_k = 0
        for (int poll = 0; poll < 2; poll++) {
            final double[] received = new double[2 * L];
            for (int i = 0; i < L; i++) {
                received[i] = RECEIVED[i] * (poll + 1);
                received[L + i] = 1e3 * (i - 2.5) * (poll + 1);          // c~, gradient-sized
            }
            final double[] y = java.util.Arrays.copyOf(received, L);
            for (int e = 0; e < 3; e++) {
                final double[] grad = DENSE.gradient(y);
                for (int i = 0; i < L; i++) {
                    y[i] -= eta * (grad[i] - control[i] + received[L + i]);
                }
            }
            final double[] dy = new double[L];
            final double[] dc = new double[L];
            for (int i = 0; i < L; i++) {
                dy[i] = y[i] - received[i];
                final double next = control[i] - received[L + i] + (received[i] - y[i]) / (3 * eta);   // option II
                dc[i] = next - control[i];
            }
            final double[] upload = new double[2 * L];
            client.onPoll(received, upload);
            assertTrue(Dense.relativeError(java.util.Arrays.copyOf(upload, L), dy) < 1e-9, "model delta, poll " + poll);
            assertTrue(Dense.relativeError(java.util.Arrays.copyOfRange(upload, L, 2 * L), dc) < 1e-9,
                    "control delta, poll " + poll + ": " + Dense.relativeError(java.util.Arrays.copyOfRange(upload, L,
                            2 * L), dc));
            assertTrue(Dense.relativeError(client.model(), y) < 1e-9, "w_k = y_E");
            for (int i = 0; i < L; i++) {
                control[i] += dc[i];
            }
        }
    }

    @Test
    void fedavgServerAveragesTheUploadsBySamplesOrAlike() {
        final int[] samples = {10, 30, 20};
        final double[][] uploads = {{1, 2}, {3, -1}, {0, 5}};
        final ServerRule bySamples = new FedAvg().newServer(new ServerSetup(3, 2, samples, MissingUploads.RECEIVED,
                AlgorithmSettings.defaults(new FedAvg())));
        bySamples.beginRound(3);
        bySamples.receive(0, uploads[0]);
        bySamples.receive(2, uploads[2]);
        bySamples.closeRound();
        assertArrayEquals(new double[] {(10 * 1 + 20 * 0) / 30.0, (10 * 2 + 20 * 5) / 30.0}, bySamples.broadcast(),
                1e-15, "the received uploads' weighted mean");

        final ServerRule byC = new FedAvg().newServer(new ServerSetup(3, 2, samples, MissingUploads.BY_C,
                settings(new FedAvg(), Map.of("fedavg-weights", "uniform"))));
        byC.beginRound(3);
        byC.receive(0, uploads[0]);
        byC.receive(1, uploads[1]);
        byC.closeRound();
        assertArrayEquals(new double[] {(1 + 3) / 3.0, (2 - 1) / 3.0}, byC.globalModel(), 1e-15,
                "by-C: a missing upload counts as a zero (eq. 12)");
        byC.beginRound(2);
        byC.closeRound();
        assertArrayEquals(new double[] {(1 + 3) / 3.0, (2 - 1) / 3.0}, byC.globalModel(), 1e-15,
                "nothing arrived: the model holds");
    }

    @Test
    void scaffoldServerMovesTheModelByTheMeanDeltaAndTheControlByTheSumOverK() {
        final ServerRule server = new Scaffold().newServer(ServerSetup.equalWeights(new Scaffold(), 4, 2,
                MissingUploads.RECEIVED));
        server.beginRound(2);
        server.receive(1, new double[] {1, 2, 10, 20});
        server.receive(3, new double[] {3, 4, 30, 40});
        server.closeRound();
        assertArrayEquals(new double[] {2, 3, 10, 15}, server.broadcast(), 1e-15, "(x, c) = (0 + mean dy, 0 + sum dc / K)");
        server.beginRound(1);
        server.receive(0, new double[] {-2, 1, 4, -4});
        server.closeRound();
        assertArrayEquals(new double[] {0, 4, 11, 14}, server.broadcast(), 1e-15);
        assertArrayEquals(new double[] {0, 4}, server.globalModel(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> {
            server.beginRound(1);
            server.receive(0, new double[] {1, 2});
        }, "an upload of L numbers is refused: scaffold's carry 2L");
    }

    @Test
    void baselinesAreFoundBesideThePapersFourAndCheckTheirFlags() {
        assertEquals(List.of("admm", "dual-free", "rerce", "rerce-continual", "fedavg", "fedprox", "scaffold"),
                FederatedAlgorithm.all().stream().map(FederatedAlgorithm::id).toList());
        assertEquals(new Scaffold(), FederatedAlgorithm.byId("SCAFFOLD"));
        assertEquals(256, new Scaffold().uploadLength(128), "2L up");
        assertEquals(256, new Scaffold().broadcastLength(128), "2L down");
        final IllegalArgumentException mu = assertThrows(IllegalArgumentException.class,
                () -> AlgorithmSettings.of(new FedProx(), Map.of("mu", "-1")));
        assertEquals("--mu -1: fedprox expects a number >= 0.0", mu.getMessage());
        final IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
                () -> AlgorithmSettings.of(new FedAvg(), Map.of("local-steps", "0")));
        assertEquals("--local-steps 0: fedavg expects a whole number in 1..10000", steps.getMessage());
        assertEquals("--step-size 2: fedavg expects a number > 0.0 and < 2.0", assertThrows(IllegalArgumentException.class,
                () -> AlgorithmSettings.of(new FedAvg(), Map.of("step-size", "2"))).getMessage());
        assertEquals("--fedavg-weights x: fedavg expects samples or uniform", assertThrows(
                IllegalArgumentException.class, () -> AlgorithmSettings.of(new FedAvg(), Map.of("fedavg-weights", "x")))
                .getMessage());
        assertEquals("mu=0.5", AlgorithmSettings.of(new FedProx(), Map.of("mu", "0.50")).describeChanged());
    }
}
