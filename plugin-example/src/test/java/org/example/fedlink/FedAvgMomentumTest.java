package org.example.fedlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.ServerRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example plug-in: found by ServiceLoader, and its server's momentum as written by hand. */
class FedAvgMomentumTest {

    @Test
    void isFoundBesideTheBuiltIns() {
        assertEquals(new FedAvgMomentum(), FederatedAlgorithm.byId("fedavgm"));
    }

    @Test
    void serverMovesTheModelWithMomentum() {
        final ServerRule server = new FedAvgMomentum().newServer(2, 1);         // beta = 0.5
        for (double[] upload : List.of(new double[] {4}, new double[] {8}, new double[] {8})) {
            server.beginRound(1);
            server.receive(0, upload);
            server.closeRound();
        }
        // round 0: x = 4; then v = 4, x = 8; then v = 0.5 * 4 + 0 = 2, x = 10
        assertArrayEquals(new double[] {10}, server.globalModel(), 0.0);
        assertArrayEquals(new double[] {2}, server.checkpointState(), 0.0);
    }
}
