package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.VectorOps;

/**
 * A client of RERCE-Fed with continual local updates (SPEC 4.4, eqs. 13-14, Algorithm 5). It steps
 * every round, polled or not, towards m_k, the last noisy vector it received (zero before its
 * first poll), and extrapolates locally: t_k = 2 w_{k,n+1} - w_{k,n}. Only polled clients upload t_k.
 */
final class ContinualRerceClient implements ClientRule {

    private final ClientConstants constants;
    private final double[] model;
    private final double[] lastReceived;
    private final double[] extrapolation;
    private final double[] difference;
    private final double[] product;

    ContinualRerceClient(ClientConstants constants) {
        this.constants = constants;
        this.model = constants.localSolution().clone();                    // w_{k,0} = wh_k
        this.lastReceived = new double[model.length];                      // m_k = 0 until first polled
        this.extrapolation = new double[model.length];
        this.difference = new double[model.length];
        this.product = new double[model.length];
    }

    @Override
    public int clientId() {
        return constants.clientId();
    }

    @Override
    public void startUpload(double[] upload) {
        for (int i = 0; i < model.length; i++) {
            upload[i] = 2.0 * model[i];                                     // t_k = 2 wh_k - w_{k,-1}, w_{k,-1} = 0
        }
    }

    @Override
    public void onPoll(double[] received, double[] upload) {
        System.arraycopy(received, 0, lastReceived, 0, received.length);   // m_k <- s~
        step();
        System.arraycopy(extrapolation, 0, upload, 0, model.length);
    }

    @Override
    public void onIdleRound() {
        step();                                                             // continual update (13)
    }

    private void step() {
        for (int i = 0; i < model.length; i++) {
            difference[i] = lastReceived[i] - model[i];
        }
        VectorOps.multiply(constants.penalised(), difference, product);
        for (int i = 0; i < model.length; i++) {
            final double next = model[i] + product[i];                      // (I - P) w + P m   (13)
            extrapolation[i] = 2.0 * next - model[i];                       // t = 2 w_new - w_old
            model[i] = next;
        }
    }

    @Override
    public double[] model() {
        return model;
    }
}
