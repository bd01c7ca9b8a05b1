package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.VectorOps;

/**
 * {@link AdmmClient} in every slot of a block: the polled slots' N_k products, computed as
 * P_k (z / rho - w~), take one batched product. Each slot's numbers are its rule's, bit for bit.
 */
final class AdmmClientBlock extends ModelSlots {

    private final double rho;
    private final double[][] duals;
    private final double[][] scratch;
    private final double[][] products;

    AdmmClientBlock(ClientConstants constants, int size) {
        super(constants, size);
        this.rho = constants.rho();
        final int dimension = constants.dimension();
        this.duals = new double[size][dimension];                           // z_{k,0} = 0
        this.scratch = new double[size][dimension];
        this.products = new double[size][dimension];
    }

    @Override
    public void startUpload(int slot, double[] upload) {
        writeUpload(models[slot], duals[slot], upload);
    }

    @Override
    public void round(int[] polled, int count, double[][] received, double[][] uploads, boolean idleSteps) {
        for (int i = 0; i < count; i++) {
            final double[] model = models[polled[i]];
            final double[] dual = duals[polled[i]];
            final double[] w = received[i];
            final double[] x = scratch[i];
            for (int j = 0; j < model.length; j++) {
                dual[j] += rho * (model[j] - w[j]);                            // z <- z + rho (w - w~)   (5)
                x[j] = dual[j] / rho - w[j];
            }
        }
        VectorOps.multiply(constants.penalised(), scratch, products, count);
        final double[] local = constants.localSolution();
        for (int i = 0; i < count; i++) {
            final double[] model = models[polled[i]];
            final double[] product = products[i];
            for (int j = 0; j < model.length; j++) {
                model[j] = local[j] - product[j];                             // w <- wh - N (z - rho w~) (6)
            }
            writeUpload(model, duals[polled[i]], uploads[i]);
        }
        // ADMM clients act only when polled.
    }

    private void writeUpload(double[] model, double[] dual, double[] upload) {
        for (int j = 0; j < model.length; j++) {
            upload[j] = model[j] + dual[j] / rho;                              // upload w + z / rho
        }
    }
}
