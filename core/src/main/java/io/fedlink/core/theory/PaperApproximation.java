package io.fedlink.core.theory;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.metric.Nmse;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The paper's approximate mean-square analysis of `rerce` (SPEC 7.1, eqs. 15-34), kept for
 * comparison with the exact route ({@link RerceMeanSquareTheory}): it is labelled as the paper's
 * approximation wherever it is reported and is never used to predict.
 *
 * <p><b>The paper's model.</b> State w_e,n = col{w_{1,n}..w_{K,n}, w_{1,n-1}..w_{K,n-1}} - w* (2KL),
 * w_e,n+1 = A_n w_e,n + zeta_n + eta_n, with L x L blocks (P_i = rho N_i):
 * <pre>
 *   [A1]_ii = I - a_{i,n} P_i + 2 a_{i,n} a_{i,n-1} P_i / C,   [A1]_ij = 2 a_{i,n} a_{j,n-1} P_i / C,
 *   [A2]_ij = - a_{i,n} a_{j,n-2} P_i / C,                      bottom block row [I 0].
 * </pre>
 * Its assumptions: every a_{k,n} an independent Bernoulli(C/K), across clients and rounds; A_n
 * independent of the state; E[zeta zeta^T] = (C/K) bdiag{s2_down_k P_k^2, 0} and
 * E[eta eta^T] = (5/K^2)(sum_k s2_up_k) bdiag{P_k^2, 0}. Then R_n = E[w_e,n w_e,n^T] obeys
 * R_{n+1} = E[A_n R_n A_n^T] + E[zeta zeta^T] + E[eta eta^T]; in vectorised form the matrix of this
 * map is the transpose of the paper's Q = E[A_n^T (x)_b A_n^T], and its weighted-variance recursion
 * and closed-form limit (eq. 34) are this recursion summed.
 *
 * <p><b>How it is evaluated here.</b> Not by forming Q (4 L^2 K^2 square: 5184 at K = L = 6, 1.7e10
 * at K = 100, L = 16) but by applying the same expectation block-wise, O(K^2 L^3) per round like the
 * exact route, from the paper's initial state (w_{k,0} = wh_k, w_{k,-1} = 0) over the simulated
 * horizon, with the steady-state window of SPEC 5. The closed form is not used, by choice and of
 * necessity: it needs (I - Q)^{-1} and a spectral radius below 1, and neither holds. Every consensus
 * state is a fixed point of A_n when exactly C clients are polled, so at C = K, Q has the eigenvalue
 * 1 (with multiplicity L^2) and I - Q is singular; for C < K the Bernoulli moments (the number polled
 * fluctuates while the server still divides by C) and the independence of A_n from the state push
 * the spectral radius above 1, and the paper's recursion diverges. {@link #meanSquareGrowthFactor(int)}
 * measures that radius; {@link #estimate(int)} reports +infinity when it exceeds 1.
 * Measured at K = L = 6, d_k ~ U{2..5}: 1.43 at C = 2, 1.27 at C = 5, 1 at C = 6 (docs/theory.md).
 */
public final class PaperApproximation {

    /** Growth factors up to 1 + this count as marginally stable (the consensus eigenvalue is 1). */
    public static final double STABILITY_TOLERANCE = 1e-6;
    /**
     * Rounds of power iteration behind {@link #estimate(int)}'s growth factor: enough to settle a
     * radius clearly above 1 (K = L = 6: 1.27 to 1.49, to six digits), while a radius of 1 (C = K)
     * is approached from below and stays inside the tolerance.
     */
    public static final int POWER_ITERATIONS = 200;

    private final int clients;
    private final int dimension;
    private final int selected;
    private final double polled;              // p = C/K, the Bernoulli probability
    private final DMatrixRMaj[] penalised;    // P_k
    private final DMatrixRMaj[] noise;        // (C/K) s2_down_k P_k^2 + (5/K^2)(sum s2_up) P_k^2
    private final double[][] startDeviation;  // wh_k - w*
    private final double[] optimum;
    private final double optimumSquaredNorm;

    // Scratch.
    private final DMatrixRMaj[] mixCross;     // U_l = E[u x_l^T], l over all 2K blocks
    private final DMatrixRMaj mixMoment;      // E[u u^T]
    private final DMatrixRMaj[] stepMix;      // E[z_i u^T]
    private final DMatrixRMaj stepToX;
    private final DMatrixRMaj xToStep;
    private final DMatrixRMaj stepToStep;
    private final DMatrixRMaj difference;
    private final DMatrixRMaj sumTop;
    private final DMatrixRMaj sumBottom;

    private PaperApproximation(FederatedProblem problem, int selected, LinkVariances links) {
        this.clients = problem.clientCount();
        this.dimension = problem.dimension();
        links.checkSetting(clients, selected);
        this.selected = selected;
        this.polled = (double) selected / clients;
        this.optimum = problem.optimum();
        this.optimumSquaredNorm = problem.optimumSquaredNorm();
        this.penalised = new DMatrixRMaj[clients];
        this.noise = new DMatrixRMaj[clients];
        this.startDeviation = new double[clients][];
        final double uplinkPart = 5.0 * links.uplinkTotal() / ((double) clients * clients);
        for (int k = 0; k < clients; k++) {
            final ClientConstants client = problem.client(k);
            penalised[k] = client.penalisedMatrix();
            noise[k] = new DMatrixRMaj(dimension, dimension);
            CommonOps_DDRM.mult(penalised[k], penalised[k], noise[k]);
            CommonOps_DDRM.scale(polled * links.downlink(k) + uplinkPart, noise[k]);
            final double[] d = client.localSolution().clone();
            for (int i = 0; i < dimension; i++) {
                d[i] -= optimum[i];
            }
            startDeviation[k] = d;
        }
        this.mixCross = new DMatrixRMaj[2 * clients];
        for (int l = 0; l < mixCross.length; l++) {
            mixCross[l] = new DMatrixRMaj(dimension, dimension);
        }
        this.stepMix = new DMatrixRMaj[clients];
        for (int k = 0; k < clients; k++) {
            stepMix[k] = new DMatrixRMaj(dimension, dimension);
        }
        this.mixMoment = new DMatrixRMaj(dimension, dimension);
        this.stepToX = new DMatrixRMaj(dimension, dimension);
        this.xToStep = new DMatrixRMaj(dimension, dimension);
        this.stepToStep = new DMatrixRMaj(dimension, dimension);
        this.difference = new DMatrixRMaj(dimension, dimension);
        this.sumTop = new DMatrixRMaj(dimension, dimension);
        this.sumBottom = new DMatrixRMaj(dimension, dimension);
    }

    /** The paper's approximation for `rerce` on {@code problem} with C = {@code selected}. */
    public static PaperApproximation of(FederatedProblem problem, int selected, LinkVariances links) {
        return new PaperApproximation(problem, selected, links);
    }

    /** The paper's approximate NMSE after rounds 1..T of its own recursion. */
    public double[] learningCurve(int rounds) {
        return BlockMoment.curve(start(), rounds, (current, next) -> step(current, next, true), this::nmse);
    }

    /**
     * The paper's approximation over a T-round horizon: its steady state (linear mean of the last
     * 20% of its own recursion, in dB) and its mean-square growth factor, measured by at most
     * {@value #POWER_ITERATIONS} rounds of power iteration. The steady state is +infinity when the recursion is
     * unstable (growth factor above 1 + {@link #STABILITY_TOLERANCE}): the paper's model then
     * predicts an unbounded error, and the number its recursion reaches after T rounds says only
     * how long it ran.
     */
    public Estimate estimate(int rounds) {
        final double growth = meanSquareGrowthFactor(POWER_ITERATIONS);
        if (growth > 1.0 + STABILITY_TOLERANCE) {
            // Unstable: run the recursion only until it leaves the finite range (Nmse.divergedRound).
            final double[] upTo = BlockMoment.curve(start(), rounds, (current, next) -> step(current, next, true),
                    this::nmse, (curve, n) -> Nmse.beyondDivergenceBound(curve[0], curve[n]));
            final int left = Nmse.beyondDivergenceBound(upTo[0], upTo[upTo.length - 1]) ? upTo.length : 0;
            return new Estimate(Double.POSITIVE_INFINITY, growth, left);
        }
        final double[] curve = learningCurve(rounds);
        return new Estimate(new LearningCurve(curve).steadyStateDb(), growth, Nmse.divergedRound(curve));
    }

    /**
     * The paper's approximate steady state next to the exact one.
     *
     * @param steadyStateDb linear mean of the last 20% of rounds of the paper's recursion, in dB;
     *                      +infinity when that recursion diverges
     * @param growthFactor  spectral radius of the paper's second-moment map (its Q), estimated
     * @param divergedRound the round at which the paper's recursion left the finite range by the rule of
     *                      {@link Nmse#divergedRound}, 0 when it stayed in range over the horizon (an
     *                      unstable recursion may grow too slowly to leave it within T rounds)
     */
    public record Estimate(double steadyStateDb, double growthFactor, int divergedRound) {

        /** No estimate: the paper's model has no lost transmissions (NaN steady state and growth). */
        public static final Estimate NOT_APPLICABLE = new Estimate(Double.NaN, Double.NaN, 0);

        /** True when the paper's model does not cover the setting. */
        public boolean notApplicable() {
            return Double.isNaN(growthFactor);
        }

        /** True when the paper's mean-square recursion is unstable and predicts no steady state. */
        public boolean diverges() {
            return growthFactor > 1.0 + STABILITY_TOLERANCE;
        }
    }

    /**
     * The spectral radius of the paper's noiseless second-moment map R -> E[A_n R A_n^T] (that of
     * its Q), by power iteration from R = I. The map preserves the cone of positive semidefinite
     * matrices, so its spectral radius is an eigenvalue with a semidefinite eigenvector and the
     * trace ratio of successive iterates converges to it. Iterates until the ratio changes by less
     * than 1e-12 relative over 50 rounds, or for {@code maxIterations} rounds. A slow approach to the
     * consensus eigenvalue 1 (C = K) ends below 1, inside the tolerance of "marginally stable".
     */
    public double meanSquareGrowthFactor(int maxIterations) {
        BlockMoment current = new BlockMoment(2 * clients, dimension);
        BlockMoment next = new BlockMoment(2 * clients, dimension);
        for (int a = 0; a < 2 * clients; a++) {
            CommonOps_DDRM.setIdentity(current.block(a, a));
        }
        double ratio = Double.NaN;
        double anchor = Double.NaN;
        for (int n = 1; n <= maxIterations; n++) {
            step(current, next, false);
            ratio = next.traceOfFirst(2 * clients) / current.traceOfFirst(2 * clients);
            for (int a = 0; a < 2 * clients; a++) {
                for (int b = 0; b < 2 * clients; b++) {
                    CommonOps_DDRM.scale(1.0 / ratio, next.block(a, b));   // keep the trace where it was
                }
            }
            final BlockMoment swap = current;
            current = next;
            next = swap;
            if (n % 50 == 0) {
                if (Math.abs(ratio - anchor) < 1e-12 * ratio) {
                    break;
                }
                anchor = ratio;
            }
        }
        return ratio;
    }

    double nmse(BlockMoment moment) {
        return moment.traceOfFirst(clients) / (clients * optimumSquaredNorm);
    }

    /** R_0 = w_e,0 w_e,0^T with w_{k,0} = wh_k and w_{k,-1} = 0 (deterministic). */
    BlockMoment start() {
        final BlockMoment r = new BlockMoment(2 * clients, dimension);
        final double[][] state = new double[2 * clients][];
        for (int k = 0; k < clients; k++) {
            state[k] = startDeviation[k];
            state[clients + k] = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                state[clients + k][i] = -optimum[i];
            }
        }
        for (int a = 0; a < 2 * clients; a++) {
            for (int b = a; b < 2 * clients; b++) {
                final DMatrixRMaj block = r.block(a, b);
                for (int i = 0; i < dimension; i++) {
                    for (int j = 0; j < dimension; j++) {
                        block.unsafe_set(i, j, state[a][i] * state[b][j]);
                    }
                }
            }
        }
        r.mirrorUpperAndSymmetrise();
        return r;
    }

    /**
     * One round of the paper's recursion, next = E[A R A^T] (+ the paper's noise when asked).
     *
     * <p>Row i of A_n w is y_i = x_i + a_i P_i (u - x_i) with the "mixed" vector
     * u = (1/C)(2 sum_j b_j x_j - sum_j c_j x'_j), b = a_{n-1}, c = a_{n-2}; under the paper's
     * independence E[b_j b_m] = p^2 + [j = m] p(1 - p), E[b_j c_m] = p^2, E[a_i a_l] = p^2 (i != l).
     *
     * @param r     R_n, not modified (must be symmetric)
     * @param next  overwritten with R_{n+1}; must not be {@code r}
     * @param noisy whether to add the paper's E[zeta zeta^T] + E[eta eta^T]
     */
    void step(BlockMoment r, BlockMoment next, boolean noisy) {
        step(r, next, noisy, true);
    }

    /**
     * The recursion with the indicators at their mean p in the second moments as well (E[a^2] taken as
     * p^2 instead of p, i.e. E[A] R E[A]^T + N): not the paper's. It is what a second-moment recursion
     * that forgets that the indicators are binary computes, and it stays finite and optimistic where
     * the paper's diverges (docs/theory.md, section 5); kept to show that, never reported as the paper's.
     */
    double[] meanIndicatorCurve(int rounds) {
        return BlockMoment.curve(start(), rounds, (current, next) -> step(current, next, true, false), this::nmse);
    }

    /** @param binary true for the paper's moments (a^2 = a); false to drop the indicators' variance */
    private void step(BlockMoment r, BlockMoment next, boolean noisy, boolean binary) {
        final int k2 = 2 * clients;
        final double p = polled;
        final double c = selected;
        final double pp = p * p;                    // E[a_i a_l], E[b_j b_m], i != l, j != m: independent
        // U_l = E[u x_l^T] = (p/C) (2 sum_j R_{t_j, l} - sum_j R_{o_j, l})
        for (int l = 0; l < k2; l++) {
            sumTop.zero();
            sumBottom.zero();
            for (int j = 0; j < clients; j++) {
                CommonOps_DDRM.addEquals(sumTop, r.block(j, l));
                CommonOps_DDRM.addEquals(sumBottom, r.block(clients + j, l));
            }
            CommonOps_DDRM.add(2.0 * p / c, sumTop, -p / c, sumBottom, mixCross[l]);
        }
        // E[u u^T] = (1/C^2)[4 (p^2 T_tt + p(1-p) D_t) + p^2 T_oo + p(1-p) D_o - 2 p^2 (X + X^T)]
        mixMoment.zero();
        final double pairs = pp / (c * c);
        final double singles = binary ? (p - pp) / (c * c) : 0.0;
        for (int j = 0; j < clients; j++) {
            CommonOps_DDRM.addEquals(mixMoment, 4.0 * singles, r.block(j, j));
            CommonOps_DDRM.addEquals(mixMoment, singles, r.block(clients + j, clients + j));
            for (int m = 0; m < clients; m++) {
                CommonOps_DDRM.addEquals(mixMoment, 4.0 * pairs, r.block(j, m));
                CommonOps_DDRM.addEquals(mixMoment, pairs, r.block(clients + j, clients + m));
                CommonOps_DDRM.addEquals(mixMoment, -2.0 * pairs, r.block(j, clients + m));
                CommonOps_DDRM.addEquals(mixMoment, -2.0 * pairs, r.block(clients + m, j));
            }
        }
        // E[z_i u^T] = U_i^T + P_i (E[u u^T] - U_i^T)
        for (int i = 0; i < clients; i++) {
            CommonOps_DDRM.transpose(mixCross[i], stepToX);
            CommonOps_DDRM.subtract(mixMoment, stepToX, difference);
            CommonOps_DDRM.mult(penalised[i], difference, stepMix[i]);
            CommonOps_DDRM.addEquals(stepMix[i], stepToX);
        }
        for (int i = 0; i < clients; i++) {
            final DMatrixRMaj pi = penalised[i];
            for (int l = 0; l < clients; l++) {
                final DMatrixRMaj ril = r.block(i, l);
                // E[z_i x_l^T] = R_il + P_i (U_l - R_il)
                CommonOps_DDRM.subtract(mixCross[l], ril, difference);
                CommonOps_DDRM.mult(pi, difference, stepToX);
                CommonOps_DDRM.addEquals(stepToX, ril);
                // Top i against bottom l (the old top l): E[y_i x_l^T] = (1 - p) R_il + p E[z_i x_l^T]
                CommonOps_DDRM.add(1.0 - p, ril, p, stepToX, next.block(i, clients + l));
                if (l < i) {
                    continue;
                }
                final DMatrixRMaj pl = penalised[l];
                // E[z_i z_l^T] = E[z_i x_l^T] + (E[z_i u^T] - E[z_i x_l^T]) P_l
                CommonOps_DDRM.subtract(stepMix[i], stepToX, difference);
                CommonOps_DDRM.mult(difference, pl, stepToStep);
                CommonOps_DDRM.addEquals(stepToStep, stepToX);
                final DMatrixRMaj out = next.block(i, l);
                if (i == l && binary) {
                    // E[y_i y_i^T] = (1 - p) R_ii + p E[z_i z_i^T] (+ the paper's noise)
                    CommonOps_DDRM.add(1.0 - p, ril, p, stepToStep, out);
                    if (noisy) {
                        CommonOps_DDRM.addEquals(out, noise[i]);
                    }
                } else {
                    // E[x_i z_l^T] = R_il + (U_i^T - R_il) P_l
                    CommonOps_DDRM.transpose(mixCross[i], xToStep);
                    CommonOps_DDRM.subtract(xToStep, ril, difference);
                    CommonOps_DDRM.mult(difference, pl, xToStep);
                    CommonOps_DDRM.addEquals(xToStep, ril);
                    // E[y_i y_l^T] = (1-p)^2 R_il + p(1-p)(E[z_i x_l^T] + E[x_i z_l^T]) + p^2 E[z_i z_l^T]
                    CommonOps_DDRM.add(1.0 - 2 * p + pp, ril, p - pp, stepToX, out);
                    CommonOps_DDRM.addEquals(out, p - pp, xToStep);
                    CommonOps_DDRM.addEquals(out, pp, stepToStep);
                    if (i == l && noisy) {
                        CommonOps_DDRM.addEquals(out, noise[i]);
                    }
                }
            }
        }
        // Bottom against bottom: the old top against top.
        for (int i = 0; i < clients; i++) {
            for (int l = i; l < clients; l++) {
                next.block(clients + i, clients + l).setTo(r.block(i, l));
            }
        }
        next.mirrorUpperAndSymmetrise();
    }
}
