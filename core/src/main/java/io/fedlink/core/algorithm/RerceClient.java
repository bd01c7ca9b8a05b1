package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.VectorOps;

/**
 * A client of the dual-free algorithms `dual-free` and `rerce` (SPEC 4.2-4.3, eqs. 9-12): on a
 * poll it takes one step towards the received extrapolation s~ and uploads its model.
 *
 * <pre>  w <- (I - rho N_k) w + rho N_k s~  =  w + P_k (s~ - w)  </pre>
 */
final class RerceClient implements ClientRule {

    private final ClientConstants constants;
    private final double[] model;
    private final double[] difference;
    private final double[] product;

    RerceClient(ClientConstants constants) {
        this.constants = constants;
        this.model = constants.localSolution().clone();                    // w_{k,0} = wh_k
        this.difference = new double[model.length];
        this.product = new double[model.length];
    }

    @Override
    public int clientId() {
        return constants.clientId();
    }

    @Override
    public void startUpload(double[] upload) {
        System.arraycopy(model, 0, upload, 0, model.length);                // uploads wh_k
    }

    @Override
    public void onPoll(double[] received, double[] upload) {
        for (int i = 0; i < model.length; i++) {
            difference[i] = received[i] - model[i];
        }
        VectorOps.multiply(constants.penalised(), difference, product);
        for (int i = 0; i < model.length; i++) {
            model[i] += product[i];                                         // (I - P) w + P s~  (11), (12)
        }
        System.arraycopy(model, 0, upload, 0, model.length);
    }

    @Override
    public void onIdleRound() {
        // Clients not in S_n keep w_k unchanged (12).
    }

    @Override
    public double[] model() {
        return model;
    }
}
