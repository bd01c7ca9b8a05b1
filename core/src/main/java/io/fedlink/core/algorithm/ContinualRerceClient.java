package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.Eigenbasis;
import io.fedlink.core.linalg.VectorOps;

/**
 * A client of RERCE-Fed with continual local updates (SPEC 4.4, eqs. 13-14, Algorithm 5). It steps
 * every round, polled or not, towards m_k, the last noisy vector it received (zero before its
 * first poll), and extrapolates locally: t_k = 2 w_{k,n+1} - w_{k,n}. Only polled clients upload t_k.
 *
 * <p>The step w <- w + P_k (m_k - w) (13) applies the same matrix every round, so the client keeps
 * its state in the eigenbasis of P_k = V diag(p) V^T: with z = V^T w and u = V^T m_k the step is
 * z_j <- z_j + p_j (u_j - z_j), coordinate by coordinate, O(L) instead of an L x L product. Only the
 * vectors that cross a link change basis: a received s~ (u = V^T s~) and an upload (t = V (2 z_new -
 * z_old)), two products per poll. In rounds without a poll, which under partial participation are
 * most rounds, the client touches no matrix at all. The metric is taken in the same basis:
 * ||w - w*||^2 = ||z - V^T w*||^2 since V is orthogonal.
 */
final class ContinualRerceClient implements ClientRule {

    private final ClientConstants constants;
    private final Eigenbasis eigenbasis;
    private final double[] eigenvalues;
    private final double[] coordinates;           // z = V^T w_k
    private final double[] receivedCoordinates;   // u = V^T m_k, 0 until first polled
    private final double[] extrapolation;         // 2 z_new - z_old of the last polled step
    private final double[] model;                 // w_k = V z, recomputed on request
    private final double[] optimumCoordinates;    // V^T w*, for the optimum array last asked about
    private double[] optimumSeen;
    private boolean started;

    ContinualRerceClient(ClientConstants constants) {
        this.constants = constants;
        this.eigenbasis = constants.penalisedEigenbasis();
        this.eigenvalues = eigenbasis.eigenvalues();
        final int dimension = constants.dimension();
        this.coordinates = new double[dimension];
        this.receivedCoordinates = new double[dimension];
        this.extrapolation = new double[dimension];
        this.model = new double[dimension];
        this.optimumCoordinates = new double[dimension];
        eigenbasis.toBasis(constants.localSolution(), coordinates);   // w_{k,0} = wh_k
    }

    @Override
    public int clientId() {
        return constants.clientId();
    }

    @Override
    public void startUpload(double[] upload) {
        final double[] wh = constants.localSolution();
        for (int i = 0; i < wh.length; i++) {
            upload[i] = 2.0 * wh[i];                                    // t_k = 2 wh_k - w_{k,-1}, w_{k,-1} = 0
        }
    }

    @Override
    public void onPoll(double[] received, double[] upload) {
        eigenbasis.toBasis(received, receivedCoordinates);              // m_k <- s~
        for (int j = 0; j < coordinates.length; j++) {
            final double old = coordinates[j];
            final double next = old + eigenvalues[j] * (receivedCoordinates[j] - old);   // (13)
            extrapolation[j] = 2.0 * next - old;                        // t = 2 w_new - w_old
            coordinates[j] = next;
        }
        started = true;
        eigenbasis.fromBasis(extrapolation, upload);
    }

    @Override
    public void onIdleRound() {
        for (int j = 0; j < coordinates.length; j++) {
            final double old = coordinates[j];
            coordinates[j] = old + eigenvalues[j] * (receivedCoordinates[j] - old);       // continual update (13)
        }
        started = true;
    }

    /** w_k = V z; before the first step exactly wh_k, as the rule starts from it. */
    @Override
    public double[] model() {
        if (!started) {
            System.arraycopy(constants.localSolution(), 0, model, 0, model.length);
        } else {
            eigenbasis.fromBasis(coordinates, model);
        }
        return model;
    }

    /** ||z - V^T w*||^2: no product per round, one per optimum array. */
    @Override
    public double squaredDeviation(double[] optimum) {
        if (optimum != optimumSeen) {
            eigenbasis.toBasis(optimum, optimumCoordinates);
            optimumSeen = optimum;
        }
        return VectorOps.squaredDistance(coordinates, optimumCoordinates);
    }
}
