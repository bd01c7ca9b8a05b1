package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.VectorOps;

/**
 * What the blocks that keep each slot's w_k as it is ({@link RerceClientBlock}, {@link AdmmClientBlock})
 * share: the client's constants, one model per slot starting at wh_k, and the answers read off them.
 */
abstract class ModelSlots implements ClientBlock {

    protected final ClientConstants constants;
    protected final double[][] models;

    ModelSlots(ClientConstants constants, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a block needs at least one slot, got " + size);
        }
        this.constants = constants;
        this.models = new double[size][];
        for (int s = 0; s < size; s++) {
            models[s] = constants.localSolution().clone();                   // w_{k,0} = wh_k
        }
    }

    @Override
    public int clientId() {
        return constants.clientId();
    }

    @Override
    public int size() {
        return models.length;
    }

    @Override
    public double squaredDeviation(int slot, double[] optimum) {
        return VectorOps.squaredDistance(models[slot], optimum);
    }

    @Override
    public double[] model(int slot) {
        return models[slot];
    }
}
