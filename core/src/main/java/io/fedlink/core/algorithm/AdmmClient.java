package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.VectorOps;

/**
 * A client of standard ADMM (SPEC 4.1, eqs. 5-6), with local model w_k and dual variable z_k.
 *
 * <p>N_k (z - rho w~) is computed as P_k (z / rho - w~) with P_k = rho N_k: the same quantity, and
 * one stored matrix for all four algorithms.
 */
final class AdmmClient implements ClientRule {

    private final ClientConstants constants;
    private final double rho;
    private final double[] model;
    private final double[] dual;
    private final double[] scratch;
    private final double[] product;

    AdmmClient(ClientConstants constants) {
        this.constants = constants;
        this.rho = constants.rho();
        this.model = constants.localSolution().clone();                    // w_{k,0} = wh_k
        this.dual = new double[model.length];                               // z_{k,0} = 0
        this.scratch = new double[model.length];
        this.product = new double[model.length];
    }

    @Override
    public int clientId() {
        return constants.clientId();
    }

    @Override
    public void startUpload(double[] upload) {
        writeUpload(upload);
    }

    @Override
    public void onPoll(double[] received, double[] upload) {
        for (int i = 0; i < model.length; i++) {
            dual[i] += rho * (model[i] - received[i]);                      // z <- z + rho (w - w~)   (5)
            scratch[i] = dual[i] / rho - received[i];
        }
        VectorOps.multiply(constants.penalised(), scratch, product);
        final double[] local = constants.localSolution();
        for (int i = 0; i < model.length; i++) {
            model[i] = local[i] - product[i];                               // w <- wh - N (z - rho w~) (6)
        }
        writeUpload(upload);
    }

    private void writeUpload(double[] upload) {
        for (int i = 0; i < model.length; i++) {
            upload[i] = model[i] + dual[i] / rho;                           // upload w + z / rho
        }
    }

    @Override
    public void onIdleRound() {
        // ADMM clients act only when polled.
    }

    @Override
    public double[] model() {
        return model;
    }
}
