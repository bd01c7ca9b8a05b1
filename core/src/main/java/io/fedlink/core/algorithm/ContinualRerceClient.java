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
 * its state where that matrix is diagonal ({@link ClientConstants#dataEigenbasis()}:
 * P_k = U diag(p) U^T + (I - U U^T), U of L x r, r = min(d_k, L)):
 * <ul>
 *   <li>on the span of its samples, z = U^T w steps coordinate by coordinate towards u = U^T m_k:
 *       z_j <- z_j + p_j (u_j - z_j), O(r) a round;</li>
 *   <li>on the rest, where P_k is the identity, the step lands on m_k's component:
 *       w_perp <- (I - U U^T) m_k, which changes only when m_k does.</li>
 * </ul>
 * Only vectors that cross a link change basis: a poll costs one product with U^T (u = U^T s~) and
 * two with U (U u and U (2 z_new - z_old)); a round without a poll, most rounds under
 * partial participation, touches no matrix. The metric is taken in the same split, the two parts
 * being orthogonal: ||w - w*||^2 = ||z - U^T w*||^2 + ||w_perp - (I - U U^T) w*||^2.
 */
final class ContinualRerceClient implements ClientRule {

    private final ClientConstants constants;
    private final Eigenbasis eigenbasis;
    private final double[] eigenvalues;
    private final boolean fullRank;               // r = L: no identity part
    private final double[] coordinates;           // z = U^T w_k
    private final double[] receivedCoordinates;   // u = U^T m_k, 0 until first polled
    private final double[] receivedPerp;          // (I - U U^T) m_k, 0 until first polled
    private final double[] startPerp;             // (I - U U^T) wh_k: w_perp until the first step
    private final double[] extrapolation;         // 2 z_new - z_old of the polled step
    private final double[] received;              // U u, scratch
    private final double[] model;                 // w_k, recomputed on request
    private final double[] optimumCoordinates;    // U^T w*
    private final double[] optimumPerp;           // (I - U U^T) w*
    private double[] optimumSeen;                 // the w* array the two above were computed from
    private double perpDeviation;                 // ||w_perp - (I - U U^T) w*||^2
    private boolean perpDeviationStale = true;
    private boolean stepped;

    ContinualRerceClient(ClientConstants constants) {
        this.constants = constants;
        this.eigenbasis = constants.dataEigenbasis();
        this.eigenvalues = eigenbasis.eigenvalues();
        final int dimension = constants.dimension();
        final int rank = eigenbasis.rank();
        this.fullRank = rank == dimension;
        this.coordinates = new double[rank];
        this.receivedCoordinates = new double[rank];
        this.extrapolation = new double[rank];
        this.optimumCoordinates = new double[rank];
        this.receivedPerp = new double[dimension];
        this.startPerp = new double[dimension];
        this.received = new double[dimension];
        this.model = new double[dimension];
        this.optimumPerp = new double[dimension];
        final double[] wh = constants.localSolution();
        eigenbasis.toBasis(wh, coordinates);                          // w_{k,0} = wh_k
        perpOf(wh, coordinates, startPerp);
    }

    /** out = x - U z, with z = U^T x: x's component where P_k is the identity (0 when r = L). */
    private void perpOf(double[] x, double[] z, double[] out) {
        if (fullRank) {
            return;                                                    // out stays 0
        }
        eigenbasis.fromBasis(z, received);
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - received[i];
        }
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
        eigenbasis.toBasis(received, receivedCoordinates);              // m_k <- s~  (u = U^T s~)
        for (int j = 0; j < coordinates.length; j++) {
            final double old = coordinates[j];
            final double next = old + eigenvalues[j] * (receivedCoordinates[j] - old);   // (13)
            extrapolation[j] = 2.0 * next - old;                        // t = 2 w_new - w_old, data part
            coordinates[j] = next;
        }
        if (fullRank) {
            eigenbasis.fromBasis(extrapolation, upload);
        } else {
            eigenbasis.fromBasis(receivedCoordinates, this.received);   // the second pass finds U in cache
            eigenbasis.fromBasis(extrapolation, upload);
            final double[] oldPerp = stepped ? receivedPerp : startPerp;
            for (int i = 0; i < upload.length; i++) {
                final double perp = received[i] - this.received[i];    // (I - U U^T) s~: w_perp's new value
                upload[i] += 2.0 * perp - oldPerp[i];                   // t = 2 w_new - w_old, identity part
                receivedPerp[i] = perp;
            }
        }
        stepped = true;
        perpDeviationStale = true;
    }

    @Override
    public void onIdleRound() {
        for (int j = 0; j < coordinates.length; j++) {
            final double old = coordinates[j];
            coordinates[j] = old + eigenvalues[j] * (receivedCoordinates[j] - old);       // continual update (13)
        }
        if (!stepped) {
            stepped = true;                                             // w_perp: (I - U U^T) wh_k -> m_k's
            perpDeviationStale = true;
        }
    }

    /** w_k = U z + w_perp; before the first step exactly wh_k, as the rule starts from it. */
    @Override
    public double[] model() {
        if (!stepped) {
            System.arraycopy(constants.localSolution(), 0, model, 0, model.length);
            return model;
        }
        eigenbasis.fromBasis(coordinates, model);
        for (int i = 0; i < model.length; i++) {
            model[i] += receivedPerp[i];
        }
        return model;
    }

    /** ||z - U^T w*||^2 + ||w_perp - (I - U U^T) w*||^2: no product unless w* or w_perp changed. */
    @Override
    public double squaredDeviation(double[] optimum) {
        if (optimum != optimumSeen) {
            eigenbasis.toBasis(optimum, optimumCoordinates);
            perpOf(optimum, optimumCoordinates, optimumPerp);
            optimumSeen = optimum;
            perpDeviationStale = true;
        }
        if (perpDeviationStale) {
            perpDeviation = fullRank ? 0.0
                    : VectorOps.squaredDistance(stepped ? receivedPerp : startPerp, optimumPerp);
            perpDeviationStale = false;
        }
        return VectorOps.squaredDistance(coordinates, optimumCoordinates) + perpDeviation;
    }
}
