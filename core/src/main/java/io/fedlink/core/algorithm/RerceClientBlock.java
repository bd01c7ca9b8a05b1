package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.VectorOps;

/**
 * {@link RerceClient} in every slot of a block (`dual-free`, `rerce`): the polled slots' steps
 * w <- w + P_k (s~ - w) take one batched product, P_k read once for all of them. Each slot's numbers are
 * its rule's, bit for bit: the same differences, the product's sums in the same order, the same update.
 */
final class RerceClientBlock extends ModelSlots {

    private final double[][] differences;
    private final double[][] products;

    RerceClientBlock(ClientConstants constants, int size) {
        super(constants, size);
        final int dimension = constants.dimension();
        this.differences = new double[size][dimension];
        this.products = new double[size][dimension];
    }

    @Override
    public void startUpload(int slot, double[] upload) {
        System.arraycopy(models[slot], 0, upload, 0, upload.length);          // uploads wh_k
    }

    @Override
    public void round(int[] polled, int count, double[][] received, double[][] uploads, boolean idleSteps) {
        for (int i = 0; i < count; i++) {
            final double[] model = models[polled[i]];
            final double[] difference = differences[i];
            final double[] s = received[i];
            for (int j = 0; j < model.length; j++) {
                difference[j] = s[j] - model[j];
            }
        }
        VectorOps.multiply(constants.penalised(), differences, products, count);
        for (int i = 0; i < count; i++) {
            final double[] model = models[polled[i]];
            final double[] product = products[i];
            for (int j = 0; j < model.length; j++) {
                model[j] += product[j];                                      // (I - P) w + P s~  (11), (12)
            }
            System.arraycopy(model, 0, uploads[i], 0, model.length);
        }
        // Clients not in S_n keep w_k unchanged (12).
    }
}
