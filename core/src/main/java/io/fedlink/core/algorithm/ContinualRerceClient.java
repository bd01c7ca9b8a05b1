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
 *   <li>on the rest, where P_k is the identity, the step lands on m_k's component
 *       w_perp = m_k - U u, which changes only when m_k does.</li>
 * </ul>
 * Only vectors that cross a link change basis, and a poll does it with one product each way:
 * u = U^T s~, and the upload t = 2 w_new - w_old = U (2 z_new - z_old - 2 u + u_old) + 2 s~ - s~_old
 * (with the previous poll's u_old and s~_old; the first poll uses what w_perp was before it). A
 * round without a poll, most rounds under partial participation, touches no matrix.
 *
 * <p>The metric in the same split: ||w - w*||^2 = ||z - U^T w*||^2 + ||w_perp - (I - U U^T) w*||^2,
 * the second part, which changes only on a poll, by Pythagoras: ||s~ - w*||^2 - ||u - U^T w*||^2,
 * recomputed directly (one product) in the rare case that the difference cancels below 1e-6 of
 * its terms.
 */
final class ContinualRerceClient implements ClientRule {

    /** Below this share of ||s~ - w*||^2 the Pythagorean difference is recomputed directly. */
    private static final double CANCELLATION = 1e-6;

    private final ClientConstants constants;
    private final Eigenbasis eigenbasis;
    private final double[] eigenvalues;
    private final boolean fullRank;               // r = L: no identity part
    private final double[] coordinates;           // z = U^T w_k
    private final double[] startCoordinates;      // U^T wh_k
    private final double[] startPerp;             // wh_k - U U^T wh_k: w_perp until the first step
    private final double[] receivedCoordinates;   // u = U^T m_k, 0 until first polled
    private final double[] lastReceived;          // m_k = the last s~, 0 until first polled
    private final double[] incoming;              // U^T s~ of the poll in progress
    private final double[] combination;           // U's coefficients of the upload
    private final double[] scratch;               // L, for products
    private final double[] model;                 // w_k, recomputed on request
    private final double[] optimumCoordinates;    // U^T w*
    private final double[] optimumPerp;           // w* - U U^T w*
    private double[] optimumSeen;                 // the w* array the two above were computed from
    private double perpDeviation;                 // ||w_perp - (I - U U^T) w*||^2
    private boolean perpDeviationStale = true;
    private boolean stepped;
    private boolean polled;

    ContinualRerceClient(ClientConstants constants) {
        this.constants = constants;
        this.eigenbasis = constants.dataEigenbasis();
        this.eigenvalues = eigenbasis.eigenvalues();
        final int dimension = constants.dimension();
        final int rank = eigenbasis.rank();
        this.fullRank = rank == dimension;
        this.coordinates = new double[rank];
        this.startCoordinates = new double[rank];
        this.receivedCoordinates = new double[rank];
        this.incoming = new double[rank];
        this.combination = new double[rank];
        this.optimumCoordinates = new double[rank];
        this.startPerp = new double[dimension];
        this.lastReceived = new double[dimension];
        this.scratch = new double[dimension];
        this.model = new double[dimension];
        this.optimumPerp = new double[dimension];
        final double[] wh = constants.localSolution();
        eigenbasis.toBasis(wh, startCoordinates);                     // w_{k,0} = wh_k
        System.arraycopy(startCoordinates, 0, coordinates, 0, rank);
        perpOf(wh, startCoordinates, startPerp);
    }

    /** out = x - U z, with z = U^T x: x's component where P_k is the identity (0 when r = L). */
    private void perpOf(double[] x, double[] z, double[] out) {
        if (fullRank) {
            return;                                                    // out stays 0
        }
        eigenbasis.fromBasis(z, scratch);
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - scratch[i];
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
        eigenbasis.toBasis(received, incoming);                         // m_k <- s~  (u = U^T s~)
        // w_perp before this step is (v - U c): the last s~ and its coordinates once stepped (both
        // still 0 if never polled: m_k = 0), the start's wh_k and U^T wh_k before any step. It enters
        // t through U's coefficients and the rest; with r = L there is no identity part.
        final double[] oldCoordinates = stepped ? receivedCoordinates : startCoordinates;
        final double[] oldVector = stepped ? lastReceived : constants.localSolution();
        for (int j = 0; j < coordinates.length; j++) {
            final double old = coordinates[j];
            final double next = old + eigenvalues[j] * (incoming[j] - old);              // (13)
            final double extrapolation = 2.0 * next - old;             // t = 2 w_new - w_old, data part
            combination[j] = fullRank ? extrapolation : extrapolation - 2.0 * incoming[j] + oldCoordinates[j];
            coordinates[j] = next;
        }
        eigenbasis.fromBasis(combination, upload);
        if (!fullRank) {
            for (int i = 0; i < upload.length; i++) {
                upload[i] += 2.0 * received[i] - oldVector[i];
            }
            System.arraycopy(received, 0, lastReceived, 0, received.length);
        }
        System.arraycopy(incoming, 0, receivedCoordinates, 0, incoming.length);
        stepped = true;
        polled = true;
        perpDeviationStale = true;
    }

    @Override
    public void onIdleRound() {
        for (int j = 0; j < coordinates.length; j++) {
            final double old = coordinates[j];
            coordinates[j] = old + eigenvalues[j] * (receivedCoordinates[j] - old);       // continual update (13)
        }
        if (!stepped) {
            stepped = true;                                             // w_perp: the start's -> m_k's (0)
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
        if (!polled || fullRank) {
            eigenbasis.fromBasis(coordinates, model);                   // w_perp = 0
            return model;
        }
        for (int j = 0; j < coordinates.length; j++) {
            combination[j] = coordinates[j] - receivedCoordinates[j];
        }
        eigenbasis.fromBasis(combination, model);
        for (int i = 0; i < model.length; i++) {
            model[i] += lastReceived[i];                                // U (z - u) + s~
        }
        return model;
    }

    /** ||z - U^T w*||^2 + ||w_perp - (I - U U^T) w*||^2: no product unless w* changed (or a rare cancellation). */
    @Override
    public double squaredDeviation(double[] optimum) {
        if (optimum != optimumSeen) {
            eigenbasis.toBasis(optimum, optimumCoordinates);
            perpOf(optimum, optimumCoordinates, optimumPerp);
            optimumSeen = optimum;
            perpDeviationStale = true;
        }
        if (perpDeviationStale) {
            perpDeviation = perpDeviation(optimum);
            perpDeviationStale = false;
        }
        return VectorOps.squaredDistance(coordinates, optimumCoordinates) + perpDeviation;
    }

    private double perpDeviation(double[] optimum) {
        if (fullRank) {
            return 0.0;
        }
        if (!stepped) {
            return VectorOps.squaredDistance(startPerp, optimumPerp);
        }
        if (!polled) {
            return VectorOps.squaredNorm(optimumPerp);                  // w_perp = 0
        }
        final double whole = VectorOps.squaredDistance(lastReceived, optimum);
        final double perp = whole - VectorOps.squaredDistance(receivedCoordinates, optimumCoordinates);
        if (perp >= CANCELLATION * whole) {
            return perp;
        }
        perpOf(lastReceived, receivedCoordinates, scratch);             // s~ - U u, directly
        return VectorOps.squaredDistance(scratch, optimumPerp);
    }
}
