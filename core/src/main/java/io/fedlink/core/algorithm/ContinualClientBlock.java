package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.Eigenbasis;
import io.fedlink.core.linalg.VectorOps;
import java.util.Arrays;

/**
 * RERCE-Fed with continual local updates (SPEC 4.4, eqs. 13-14, Algorithm 5) for client k in every slot
 * of a block: the one implementation of the continual client ({@link ContinualRerceClient} is this block
 * with one slot). Every slot steps every round, polled or not, towards m_k, the last noisy vector it
 * received (zero before its first poll), and extrapolates locally: t_k = 2 w_{k,n+1} - w_{k,n}. Only
 * polled slots upload t_k.
 *
 * <p>The step w <- w + P_k (m_k - w) (13) applies the same matrix every round, so the state is kept where
 * that matrix is diagonal ({@link ClientConstants#dataEigenbasis()}: P_k = U diag(p) U^T + (I - U U^T),
 * U of L x r, r = min(d_k, L)):
 * <ul>
 *   <li>on the span of the samples, z = U^T w steps coordinate by coordinate towards u = U^T m_k:
 *       z_j <- z_j + p_j (u_j - z_j), O(r) a round;</li>
 *   <li>on the rest, where P_k is the identity, the step lands on m_k's component
 *       w_perp = m_k - U u, which changes only when m_k does.</li>
 * </ul>
 * Only vectors that cross a link change basis, and a round's polls do it with one batched product each
 * way over all the polled slots: u = U^T s~, and the upload t = 2 w_new - w_old = U (2 z_new - z_old - 2 u
 * + u_old) + 2 s~ - s~_old (with the previous poll's u_old and s~_old; the first poll uses what w_perp was
 * before it). A round without a poll, most rounds under partial participation, touches no matrix.
 *
 * <p>The metric in the same split: ||w - w*||^2 = ||z - U^T w*||^2 + ||w_perp - (I - U U^T) w*||^2, the
 * second part, which changes only on a poll, by Pythagoras: ||s~ - w*||^2 - ||u - U^T w*||^2, recomputed
 * directly (one product) in the rare case that the difference cancels below 1e-6 of its terms.
 */
final class ContinualClientBlock implements ClientBlock {

    /** Below this share of ||s~ - w*||^2 the Pythagorean difference is recomputed directly. */
    private static final double CANCELLATION = 1e-6;
    private static final double[][] NO_VECTORS = {};

    private final ClientConstants constants;
    private final Eigenbasis eigenbasis;
    private final double[] eigenvalues;
    private final boolean fullRank;               // r = L: no identity part
    private final double[] startCoordinates;      // U^T wh_k
    private final double[] startPerp;             // wh_k - U U^T wh_k: w_perp until the first step
    private final double[] optimumCoordinates;    // U^T w*
    private final double[] optimumPerp;           // w* - U U^T w*
    private double[] optimumSeen;                 // the w* array the two above were computed from
    // One per slot:
    private final double[][] coordinates;         // z = U^T w_k
    private final double[][] receivedCoordinates; // u = U^T m_k, 0 until first polled
    private final double[][] lastReceived;        // m_k = the last s~, 0 until first polled
    private final double[] perpDeviation;         // ||w_perp - (I - U U^T) w*||^2
    private final boolean[] perpDeviationStale;
    private final boolean[] stepped;
    private final boolean[] polled;
    // No scratch is kept: a poll's vectors are allocated by the round that takes it (most of a large
    // federation's clients are not polled in a round, and a million clients would carry 600 B each).

    ContinualClientBlock(ClientConstants constants, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a block needs at least one slot, got " + size);
        }
        this.constants = constants;
        this.eigenbasis = constants.dataEigenbasis();
        this.eigenvalues = eigenbasis.eigenvalues();
        final int dimension = constants.dimension();
        final int rank = eigenbasis.rank();
        this.fullRank = rank == dimension;
        this.startCoordinates = new double[rank];
        this.startPerp = new double[dimension];
        this.optimumCoordinates = new double[rank];
        this.optimumPerp = new double[dimension];
        this.coordinates = new double[size][rank];
        this.receivedCoordinates = new double[size][rank];
        this.lastReceived = new double[size][fullRank ? 0 : dimension];
        this.perpDeviation = new double[size];
        this.perpDeviationStale = new boolean[size];
        Arrays.fill(perpDeviationStale, true);
        this.stepped = new boolean[size];
        this.polled = new boolean[size];
        final double[] wh = constants.localSolution();
        eigenbasis.coordinates(wh, startCoordinates);                  // w_{k,0} = wh_k
        for (double[] z : coordinates) {
            System.arraycopy(startCoordinates, 0, z, 0, rank);
        }
        perpOf(wh, startCoordinates, startPerp);
    }

    /** out = x - U z, with z = U^T x: x's component where P_k is the identity (0 when r = L). */
    private void perpOf(double[] x, double[] z, double[] out) {
        if (fullRank) {
            return;                                                     // out stays 0
        }
        final double[] spanned = new double[x.length];
        eigenbasis.fromBasis(z, spanned);
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - spanned[i];
        }
    }

    @Override
    public int clientId() {
        return constants.clientId();
    }

    @Override
    public int size() {
        return coordinates.length;
    }

    @Override
    public void startUpload(int slot, double[] upload) {
        final double[] wh = constants.localSolution();
        for (int i = 0; i < wh.length; i++) {
            upload[i] = 2.0 * wh[i];                                     // t_k = 2 wh_k - w_{k,-1}, w_{k,-1} = 0
        }
    }

    @Override
    public void round(int[] polledSlots, int count, double[][] received, double[][] uploads, boolean idleSteps) {
        // Per poll: u = U^T s~, and U's coefficients of the upload (no arrays at all in a round without polls).
        final int rank = eigenvalues.length;
        final double[][] incoming = count == 0 ? NO_VECTORS : VectorOps.zeros(count, rank);
        final double[][] combination = count == 0 ? NO_VECTORS : VectorOps.zeros(count, rank);
        eigenbasis.toBasis(received, incoming, count);                   // m_k <- s~  (u = U^T s~)
        for (int i = 0; i < count; i++) {
            final int s = polledSlots[i];
            // w_perp before this step is (v - U c): the last s~ and its coordinates once stepped (both
            // still 0 if never polled: m_k = 0), the start's wh_k and U^T wh_k before any step. It enters
            // t through U's coefficients and the rest; with r = L there is no identity part.
            final double[] oldCoordinates = stepped[s] ? receivedCoordinates[s] : startCoordinates;
            final double[] z = coordinates[s];
            final double[] u = incoming[i];
            final double[] c = combination[i];
            for (int j = 0; j < z.length; j++) {
                final double old = z[j];
                final double next = old + eigenvalues[j] * (u[j] - old);                   // (13)
                final double extrapolation = 2.0 * next - old;          // t = 2 w_new - w_old, data part
                c[j] = fullRank ? extrapolation : extrapolation - 2.0 * u[j] + oldCoordinates[j];
                z[j] = next;
            }
        }
        eigenbasis.fromBasis(combination, uploads, count);
        int next = 0;
        for (int s = 0; s < coordinates.length; s++) {
            if (next < count && polledSlots[next] == s) {
                finishPoll(s, received[next], uploads[next], incoming[next]);
                next++;
            } else if (idleSteps) {
                idleStep(s);
            }
        }
        if (next != count) {
            throw new IllegalArgumentException("polled slots must ascend within 0.." + (coordinates.length - 1));
        }
    }

    /** The identity part of a polled slot's upload, and its new m_k. */
    private void finishPoll(int s, double[] received, double[] upload, double[] u) {
        if (!fullRank) {
            final double[] oldVector = stepped[s] ? lastReceived[s] : constants.localSolution();
            for (int i = 0; i < upload.length; i++) {
                upload[i] += 2.0 * received[i] - oldVector[i];
            }
            System.arraycopy(received, 0, lastReceived[s], 0, received.length);
        }
        System.arraycopy(u, 0, receivedCoordinates[s], 0, u.length);
        stepped[s] = true;
        polled[s] = true;
        perpDeviationStale[s] = true;
    }

    private void idleStep(int s) {
        final double[] z = coordinates[s];
        final double[] u = receivedCoordinates[s];
        for (int j = 0; j < z.length; j++) {
            final double old = z[j];
            z[j] = old + eigenvalues[j] * (u[j] - old);                                    // continual update (13)
        }
        if (!stepped[s]) {
            stepped[s] = true;                                          // w_perp: the start's -> m_k's (0)
            perpDeviationStale[s] = true;
        }
    }

    /** w_k = U z + w_perp; before the first step exactly wh_k, as the rule starts from it. */
    @Override
    public double[] model(int s) {
        final double[] model = new double[constants.dimension()];
        if (!stepped[s]) {
            System.arraycopy(constants.localSolution(), 0, model, 0, model.length);
            return model;
        }
        if (!polled[s] || fullRank) {
            eigenbasis.fromBasis(coordinates[s], model);                // w_perp = 0
            return model;
        }
        final double[] z = coordinates[s];
        final double[] u = receivedCoordinates[s];
        final double[] coefficients = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            coefficients[j] = z[j] - u[j];
        }
        eigenbasis.fromBasis(coefficients, model);
        final double[] m = lastReceived[s];
        for (int i = 0; i < model.length; i++) {
            model[i] += m[i];                                           // U (z - u) + s~
        }
        return model;
    }

    /** ||z - U^T w*||^2 + ||w_perp - (I - U U^T) w*||^2: no product unless w* changed (or a rare cancellation). */
    @Override
    public double squaredDeviation(int s, double[] optimum) {
        if (optimum != optimumSeen) {
            eigenbasis.coordinates(optimum, optimumCoordinates);
            perpOf(optimum, optimumCoordinates, optimumPerp);
            optimumSeen = optimum;
            Arrays.fill(perpDeviationStale, true);
        }
        if (perpDeviationStale[s]) {
            perpDeviation[s] = perpDeviation(s, optimum);
            perpDeviationStale[s] = false;
        }
        return VectorOps.squaredDistance(coordinates[s], optimumCoordinates) + perpDeviation[s];
    }

    private double perpDeviation(int s, double[] optimum) {
        if (fullRank) {
            return 0.0;
        }
        if (!stepped[s]) {
            return VectorOps.squaredDistance(startPerp, optimumPerp);
        }
        if (!polled[s]) {
            return VectorOps.squaredNorm(optimumPerp);                  // w_perp = 0
        }
        final double whole = VectorOps.squaredDistance(lastReceived[s], optimum);
        final double perp = whole - VectorOps.squaredDistance(receivedCoordinates[s], optimumCoordinates);
        if (perp >= CANCELLATION * whole) {
            return perp;
        }
        final double[] direct = new double[optimum.length];
        perpOf(lastReceived[s], receivedCoordinates[s], direct);        // s~ - U u, directly
        return VectorOps.squaredDistance(direct, optimumPerp);
    }
}
