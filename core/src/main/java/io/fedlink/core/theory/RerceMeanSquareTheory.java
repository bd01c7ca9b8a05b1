package io.fedlink.core.theory;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.FederatedProblem;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The exact mean-square learning curve of `rerce` under uniform C-of-K scheduling (SPEC 7.2): the
 * NMSE that an infinite number of Monte Carlo trials of the reference engine would average, without
 * running one.
 *
 * <p><b>State.</b> e_n = col{e_1, ..., e_K, e_g, e_h} with e_k = w_k - w*, e_g = w_n - w* (the
 * global model the next broadcast extrapolates from) and e_h = w_{n-1} - w*: (K+2) blocks of L.
 * With P_k = rho N_k, the round's indicators a_k (exactly C of them equal to 1), the broadcast error
 * s = 2 e_g - e_h and the error a polled client would reach, z_k = e_k + P_k (s - e_k), one round
 * of `rerce` is exactly
 * <pre>
 *   e_k' = e_k + a_k (z_k - e_k + P_k zeta_k)                      (12), client
 *   e_g' = (1/C) sum_k a_k (z_k + P_k zeta_k + eta_k)              (12), server, |S_n| = C
 *   e_h' = e_g
 * </pre>
 * i.e. e' = B(a) e + v with B(a) = B_0 + sum_k a_k B_k. The selection is fresh each round and
 * independent of e, and v is zero-mean given (a, e), so R = E[e e^T] obeys exactly
 * <pre>
 *   R' = E_a[B(a) R B(a)^T] + E[v v^T]
 * </pre>
 * with the moments of uniform sampling p = E[a_k] = C/K and q = E[a_k a_l] = C(C-1)/(K(K-1)).
 *
 * <p><b>Cost.</b> B_k touches block rows {k, g} and block columns {k, g, h} only, so the expectation
 * is expanded in the second moments of (e_k, z_k, s) rather than by products with (K+2)L matrices:
 * three L x L products per client pair, O(K^2 L^3) time and O(K^2 L^2) memory per round. The
 * derivation, block by block, is in docs/theory.md.
 *
 * <p><b>Rounds.</b> The recursion starts from R_0, the moment after the start-up round 0 (the
 * engine's constructor); {@link #learningCurve(int)} returns the NMSE after rounds 1..T, index n-1
 * for round n, exactly the indexing of {@link io.fedlink.core.engine.SeriesResult#nmse()}.
 *
 * <p>An instance holds scratch space and is not thread-safe; it is cheap to create one per thread.
 * From K = {@value #PARALLEL_FROM} on, one instance spreads each round's pair terms over the common
 * fork-join pool, with results bit for bit those of one thread.
 */
public final class RerceMeanSquareTheory {

    private final int clients;
    private final int dimension;
    private final int selected;
    private final double polled;          // p = C/K
    private final double polledPair;      // q = C(C-1)/(K(K-1))
    // With lossy links client k steps when b_k = a_k d_k = 1 (its poll arrived) and the server hears it
    // when c_k = b_k u_k = 1 (its upload arrived too); d_k, u_k independent Bernoulli (SPEC 7.2 extended).
    private final double stepping;        // E[b_k] = p dd
    private final double steppingPair;    // E[b_k b_l] = q dd^2
    private final double heard;           // E[c_k] = E[b_k c_k] = p dd du
    private final double steppingHeard;   // E[b_k c_l] = q dd^2 du, k != l
    private final double heardPair;       // E[c_k c_l] = q dd^2 du^2
    private final double uplinkDelivery;  // du, for the start-up uploads (a start-up request always arrives)
    // Lossy links: the server's sum over C has a random number of terms, so w* no longer drops out of
    // e_g' and the state carries one more block, x = w* itself (a constant): e_g' = (1/C) sum c_k (z_k + x
    // + noise) - x. Without losses every x term cancels exactly and the (K+2)-block recursion is kept.
    private final boolean lossy;
    private final DMatrixRMaj optimumOuter;               // x x^T
    private final DMatrixRMaj[] stepOptimum;              // E[z_k x^T]
    private final DMatrixRMaj stepOptimumSum;             // sum_k E[z_k x^T]
    private final DMatrixRMaj broadcastOptimum;           // E[s x^T]
    private final LinkVariances links;
    private final DMatrixRMaj[] penalised;        // P_k
    private final DMatrixRMaj[] downlinkNoise;    // s2_down_k P_k^2 = E[(P_k zeta_k)(P_k zeta_k)^T]
    private final double uplinkTotal;             // sum_k s2_up_k
    private final double[][] startDeviation;      // d_k = wh_k - w*
    private final double[] optimum;
    private final double optimumSquaredNorm;

    // Scratch, reused every round (hot path allocates nothing).
    private final DMatrixRMaj[] broadcastCross;        // S_l = E[s e_l^T], l = 0..K (K is g)
    private final DMatrixRMaj[] broadcastCrossT;       // S_k^T = E[e_k s^T]
    private final DMatrixRMaj broadcastMoment;         // Sigma = E[s s^T]
    private final DMatrixRMaj broadcastCrossH;         // E[s e_h^T]
    private final DMatrixRMaj[] stepBroadcast;         // Q_k = E[z_k s^T]
    private final DMatrixRMaj[] stepGlobal;            // E[z_k e_g^T]
    private final DMatrixRMaj[] stepOwn;               // E[z_k z_k^T] + s2_down_k P_k^2
    private final DMatrixRMaj[] rowSum;                // sum_{l != k} [(pc-qbc) E[e_k z_l^T] + qbc E[z_k z_l^T]]
    private final DMatrixRMaj[] rowSumT;               // the l > k terms of row k's sum, transposed
    private final DMatrixRMaj[] rowPairs;              // sum_{l > k} E[z_k z_l^T], per row k
    private final DMatrixRMaj globalPairs;             // sum_{k<l} E[z_k z_l^T]
    private final DMatrixRMaj stepToE;                 // E[z_k e_l^T]
    private final DMatrixRMaj difference;
    private final DMatrixRMaj product;
    private final boolean parallel;
    private final ThreadLocal<PairScratch> pairScratch;

    private RerceMeanSquareTheory(FederatedProblem problem, int selected, LinkVariances links, Delivery delivery,
                                  boolean parallel) {
        this.clients = problem.clientCount();
        this.dimension = problem.dimension();
        links.checkSetting(clients, selected);
        this.selected = selected;
        this.polled = (double) selected / clients;
        this.polledPair = pairMoment(selected, clients);
        final double dd = delivery.downlink();
        final double du = delivery.uplink();
        this.stepping = polled * dd;
        this.steppingPair = polledPair * dd * dd;
        this.heard = polled * dd * du;
        this.steppingHeard = polledPair * dd * dd * du;
        this.heardPair = polledPair * (dd * du) * (dd * du);
        this.uplinkDelivery = du;
        this.lossy = dd < 1.0 || du < 1.0;
        this.links = links;
        this.optimum = problem.optimum();
        this.optimumSquaredNorm = problem.optimumSquaredNorm();
        this.penalised = new DMatrixRMaj[clients];
        this.downlinkNoise = new DMatrixRMaj[clients];
        this.startDeviation = new double[clients][];
        for (int k = 0; k < clients; k++) {
            final ClientConstants client = problem.client(k);
            penalised[k] = client.penalisedMatrix();
            downlinkNoise[k] = new DMatrixRMaj(dimension, dimension);
            CommonOps_DDRM.mult(penalised[k], penalised[k], downlinkNoise[k]);
            CommonOps_DDRM.scale(links.downlink(k), downlinkNoise[k]);
            final double[] d = client.localSolution().clone();   // the record shares its array: never write to it
            for (int i = 0; i < dimension; i++) {
                d[i] -= optimum[i];
            }
            startDeviation[k] = d;
        }
        this.uplinkTotal = links.uplinkTotal();

        this.broadcastCross = matrices(clients + 1);
        this.broadcastCrossT = matrices(clients);
        this.broadcastMoment = new DMatrixRMaj(dimension, dimension);
        this.broadcastCrossH = new DMatrixRMaj(dimension, dimension);
        this.stepBroadcast = matrices(clients);
        this.stepGlobal = matrices(clients);
        this.stepOwn = matrices(clients);
        this.rowSum = matrices(clients);
        this.rowSumT = matrices(clients);
        this.rowPairs = matrices(clients);
        this.globalPairs = new DMatrixRMaj(dimension, dimension);
        this.stepToE = new DMatrixRMaj(dimension, dimension);
        this.difference = new DMatrixRMaj(dimension, dimension);
        this.product = new DMatrixRMaj(dimension, dimension);
        this.parallel = parallel;
        this.pairScratch = ThreadLocal.withInitial(() -> new PairScratch(dimension));
        this.optimumOuter = new DMatrixRMaj(dimension, dimension);
        outer(1.0, optimum, optimum, optimumOuter);
        this.stepOptimum = lossy ? matrices(clients) : null;
        this.stepOptimumSum = new DMatrixRMaj(dimension, dimension);
        this.broadcastOptimum = new DMatrixRMaj(dimension, dimension);
    }

    /**
     * From this many clients on, the O(K^2 L^3) pair terms of a round are spread over the common
     * fork-join pool, one block row per task. Every row writes only its own blocks and sums in a
     * fixed order, so the result is bit for bit the same with any number of threads.
     */
    static final int PARALLEL_FROM = 16;

    /** The per-thread scratch of the pair terms. */
    private static final class PairScratch {
        final DMatrixRMaj stepToE;       // E[z_k e_l^T]
        final DMatrixRMaj eToStep;       // E[e_k z_l^T]
        final DMatrixRMaj stepToStep;    // E[z_k z_l^T]
        final DMatrixRMaj difference;

        PairScratch(int dimension) {
            stepToE = new DMatrixRMaj(dimension, dimension);
            eToStep = new DMatrixRMaj(dimension, dimension);
            stepToStep = new DMatrixRMaj(dimension, dimension);
            difference = new DMatrixRMaj(dimension, dimension);
        }
    }

    /**
     * The probabilities that a poll (downlink) and an upload (uplink) arrive, independently of each
     * other, of the state and of the selection (erasures, truncated fading: {@link ChannelMoments}).
     */
    public record Delivery(double downlink, double uplink) {

        /** Links that lose nothing. */
        public static final Delivery ALWAYS = new Delivery(1.0, 1.0);

        public Delivery {
            if (!(downlink > 0.0 && downlink <= 1.0) || !(uplink > 0.0 && uplink <= 1.0)) {
                throw new IllegalArgumentException("delivery probabilities must be in (0, 1], got downlink " + downlink
                        + ", uplink " + uplink);
            }
        }
    }

    /**
     * The theory of `rerce` on {@code problem} with C = {@code selected} clients polled per round,
     * uniformly without replacement, over links of the given variances.
     */
    public static RerceMeanSquareTheory of(FederatedProblem problem, int selected, LinkVariances links) {
        return of(problem, selected, links, Delivery.ALWAYS);
    }

    /**
     * The same over links that lose transmissions, with a server that divides by C whatever it heard
     * (`--missing by-C`, eq. 12 as written): every round stays affine in the state.
     *
     * @param links the noise variance of a transmission that arrives, per client and direction
     */
    public static RerceMeanSquareTheory of(FederatedProblem problem, int selected, LinkVariances links,
                                           Delivery delivery) {
        return new RerceMeanSquareTheory(problem, selected, links, delivery, problem.clientCount() >= PARALLEL_FROM);
    }

    /** The same, with the pair terms computed on the calling thread alone (tests, benchmarks). */
    static RerceMeanSquareTheory sequential(FederatedProblem problem, int selected, LinkVariances links) {
        return new RerceMeanSquareTheory(problem, selected, links, Delivery.ALWAYS, false);
    }

    /** The same with the same uplink and downlink variance on every client's links. */
    public static RerceMeanSquareTheory of(FederatedProblem problem, int selected,
                                           double uplinkVariance, double downlinkVariance) {
        return of(problem, selected, LinkVariances.uniform(problem.clientCount(), uplinkVariance, downlinkVariance));
    }

    /** q = E[a_k a_l], k != l, for exactly C of K polled uniformly: C(C-1)/(K(K-1)); p when K = 1. */
    static double pairMoment(int selected, int clients) {
        if (clients == 1) {
            return 1.0;
        }
        return (double) selected * (selected - 1) / ((double) clients * (clients - 1));
    }

    public int clientCount() {
        return clients;
    }

    public int dimension() {
        return dimension;
    }

    /** C. */
    public int selected() {
        return selected;
    }

    public LinkVariances links() {
        return links;
    }

    /** The predicted linear NMSE after rounds 1..T, index n-1 for round n (as the engine reports it). */
    public double[] learningCurve(int rounds) {
        return BlockMoment.curve(start(), rounds, this::step, this::nmse);
    }

    /** The predicted curve over rounds 1..T and its steady state (linear mean of the last 20%, in dB). */
    public LearningCurve predict(int rounds) {
        return new LearningCurve(learningCurve(rounds));
    }

    /** NMSE of a moment: sum_k tr R_kk / (K ||w*||^2) (eq. 35 in expectation). */
    double nmse(BlockMoment moment) {
        return moment.traceOfFirst(clients) / (clients * optimumSquaredNorm);
    }

    /**
     * R_0 = E[e_0 e_0^T] after the start-up round: every client still holds wh_k (d_k = wh_k - w*),
     * e_g = (1/C) sum_k a_k (d_k + eta_k) over the round-0 selection, and e_h = w_{-1} - w* = -w*.
     */
    BlockMoment start() {
        final int g = clients;
        final int h = clients + 1;
        final BlockMoment r = new BlockMoment(clients + (lossy ? 3 : 2), dimension);
        final double[] sum = new double[dimension];
        for (double[] d : startDeviation) {
            for (int i = 0; i < dimension; i++) {
                sum[i] += d[i];
            }
        }
        final double du = uplinkDelivery;
        final double[] mean = new double[dimension];            // E[e_g] = (p du/C) sum_k d_k = (du/K) sum_k d_k
        final double[] previous = new double[dimension];        // e_h = -w*
        for (int i = 0; i < dimension; i++) {
            mean[i] = du * (sum[i] / clients);
            previous[i] = -optimum[i];
        }
        for (int k = 0; k < clients; k++) {
            for (int l = k; l < clients; l++) {
                outer(1.0, startDeviation[k], startDeviation[l], r.block(k, l));
            }
            outer(1.0, startDeviation[k], mean, r.block(k, g));
            outer(1.0, startDeviation[k], previous, r.block(k, h));
        }
        // E[e_g e_g^T] = (1/C^2) [ (p du - q du^2) sum_k d_k d_k^T + q du^2 (sum d)(sum d)^T + p du sum_k s2_up_k I ]
        final DMatrixRMaj gg = r.block(g, g);
        final double scale = 1.0 / ((double) selected * selected);
        final double heardAtStart = polled * du;
        final double heardPairAtStart = polledPair * du * du;
        for (double[] d : startDeviation) {
            addOuter((heardAtStart - heardPairAtStart) * scale, d, d, gg);
        }
        addOuter(heardPairAtStart * scale, sum, sum, gg);
        for (int i = 0; i < dimension; i++) {
            gg.add(i, i, heardAtStart * uplinkTotal * scale);
        }
        outer(1.0, mean, previous, r.block(g, h));
        outer(1.0, previous, previous, r.block(h, h));
        if (lossy) {
            startWithLosses(r, sum);
        }
        r.mirrorUpperAndSymmetrise();
        return r;
    }

    /**
     * R_0 over lossy links: e_g = (1/C) sum_k a_k u_k (wh_k + eta_k) - x with x = w*, whose mean
     * m - x (m = du mean_k wh_k) is no longer (du/K) sum_k d_k once fewer than C uploads can arrive.
     * Overwrites the g row and fills the x row.
     */
    private void startWithLosses(BlockMoment r, double[] deviationSum) {
        final int g = clients;
        final int h = clients + 1;
        final int x = clients + 2;
        final double du = uplinkDelivery;
        final double[] upload = new double[dimension];          // sum_k wh_k = sum_k d_k + K x
        final double[] mean = new double[dimension];            // E[e_g] = du mean_k wh_k - x
        final double[] previous = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            upload[i] = deviationSum[i] + clients * optimum[i];
            mean[i] = du * (upload[i] / clients) - optimum[i];
            previous[i] = -optimum[i];
        }
        for (int k = 0; k < clients; k++) {
            outer(1.0, startDeviation[k], mean, r.block(k, g));
            outer(1.0, startDeviation[k], optimum, r.block(k, x));
        }
        // E[e_g e_g^T] = (1/C^2) [(p du - q du^2) sum wh wh^T + q du^2 (sum wh)(sum wh)^T + p du sum s2_up I]
        //                - m x^T - x m^T + x x^T
        final DMatrixRMaj gg = r.block(g, g);
        gg.zero();
        final double scale = 1.0 / ((double) selected * selected);
        final double heardAtStart = polled * du;
        final double heardPairAtStart = polledPair * du * du;
        final double[] wh = new double[dimension];
        for (double[] d : startDeviation) {
            for (int i = 0; i < dimension; i++) {
                wh[i] = d[i] + optimum[i];
            }
            addOuter((heardAtStart - heardPairAtStart) * scale, wh, wh, gg);
        }
        addOuter(heardPairAtStart * scale, upload, upload, gg);
        for (int i = 0; i < dimension; i++) {
            gg.add(i, i, heardAtStart * uplinkTotal * scale);
        }
        final double[] m = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            m[i] = du * (upload[i] / clients);
        }
        addOuter(-1.0, m, optimum, gg);
        addOuter(-1.0, optimum, m, gg);
        CommonOps_DDRM.addEquals(gg, optimumOuter);
        outer(1.0, mean, previous, r.block(g, h));
        outer(1.0, mean, optimum, r.block(g, x));
        outer(1.0, previous, optimum, r.block(h, x));
        r.block(x, x).setTo(optimumOuter);
    }

    /**
     * One round: next = E_a[B(a) R B(a)^T] + E[v v^T].
     *
     * @param r    R_n, not modified
     * @param next overwritten with R_{n+1}; must not be {@code r}
     */
    void step(BlockMoment r, BlockMoment next) {
        final int g = clients;
        final int h = clients + 1;
        final double pb = stepping;
        final double pc = heard;
        final double qcc = heardPair;
        final double c = selected;

        // Moments of the broadcast error s = 2 e_g - e_h.
        for (int l = 0; l <= clients; l++) {                             // S_l = E[s e_l^T]
            CommonOps_DDRM.add(2.0, r.block(g, l), -1.0, r.block(h, l), broadcastCross[l]);
        }
        CommonOps_DDRM.add(2.0, r.block(g, h), -1.0, r.block(h, h), broadcastCrossH);
        CommonOps_DDRM.add(2.0, broadcastCross[g], -1.0, broadcastCrossH, broadcastMoment);  // Sigma
        symmetrise(broadcastMoment);

        for (int k = 0; k < clients; k++) {
            final DMatrixRMaj pk = penalised[k];
            CommonOps_DDRM.transpose(broadcastCross[k], broadcastCrossT[k]);
            // Q_k = E[z_k s^T] = S_k^T + P_k (Sigma - S_k^T)
            CommonOps_DDRM.subtract(broadcastMoment, broadcastCrossT[k], difference);
            CommonOps_DDRM.mult(pk, difference, stepBroadcast[k]);
            CommonOps_DDRM.addEquals(stepBroadcast[k], broadcastCrossT[k]);
            // E[z_k e_g^T] = R_kg + P_k (S_g - R_kg)
            CommonOps_DDRM.subtract(broadcastCross[g], r.block(k, g), difference);
            CommonOps_DDRM.mult(pk, difference, stepGlobal[k]);
            CommonOps_DDRM.addEquals(stepGlobal[k], r.block(k, g));
            // E[z_k z_k^T] = M + (Q_k - M) P_k with M = E[z_k e_k^T] = R_kk + P_k (S_k - R_kk)
            CommonOps_DDRM.subtract(broadcastCross[k], r.block(k, k), difference);
            CommonOps_DDRM.mult(pk, difference, stepToE);
            CommonOps_DDRM.addEquals(stepToE, r.block(k, k));
            CommonOps_DDRM.subtract(stepBroadcast[k], stepToE, difference);
            CommonOps_DDRM.mult(difference, pk, stepOwn[k]);
            CommonOps_DDRM.addEquals(stepOwn[k], stepToE);
            CommonOps_DDRM.addEquals(stepOwn[k], downlinkNoise[k]);     // + s2_down_k P_k^2
            // R'_kk = (1 - p) R_kk + p (E[z_k z_k^T] + s2_down_k P_k^2), p the probability that k steps
            CommonOps_DDRM.add(1.0 - pb, r.block(k, k), pb, stepOwn[k], next.block(k, k));
        }

        // The pair terms, k < l: row k writes R'_kl, its own sums, and (parked in the lower block
        // (l, k) of next, which the final mirroring overwrites) its contribution to row l's sum.
        if (parallel) {
            IntStream.range(0, (clients + 1) / 2).parallel().forEach(i -> {
                pairRow(i, r, next);                   // a long row and a short one: equal work
                if (clients - 1 - i != i) {
                    pairRow(clients - 1 - i, r, next);
                }
            });
            IntStream.range(0, clients).parallel().forEach(l -> collectColumn(l, next));
        } else {
            for (int k = 0; k < clients; k++) {
                pairRow(k, r, next);
            }
            for (int l = 0; l < clients; l++) {
                collectColumn(l, next);
            }
        }
        globalPairs.zero();
        for (int k = 0; k < clients; k++) {
            CommonOps_DDRM.addEquals(globalPairs, rowPairs[k]);
        }

        final DMatrixRMaj gg = next.block(g, g);
        final DMatrixRMaj gh = next.block(g, h);
        gg.zero();
        gh.zero();
        for (int k = 0; k < clients; k++) {
            // R'_kg = (1/C) [ sum_{l != k} ((p-q) E[e_k z_l^T] + q E[z_k z_l^T]) + p (E[z_k z_k^T] + s2_down P_k^2) ]
            final DMatrixRMaj kg = next.block(k, g);
            CommonOps_DDRM.transpose(rowSumT[k], product);
            CommonOps_DDRM.add(1.0 / c, rowSum[k], 1.0 / c, product, kg);
            CommonOps_DDRM.addEquals(kg, pc / c, stepOwn[k]);
            // R'_kh = E[e_k' e_g^T] = (1 - p) R_kg + p E[z_k e_g^T]
            CommonOps_DDRM.add(1.0 - pb, r.block(k, g), pb, stepGlobal[k], next.block(k, h));
            CommonOps_DDRM.addEquals(gg, stepOwn[k]);
            CommonOps_DDRM.addEquals(gh, stepGlobal[k]);
        }
        // R'_gg = (1/C^2) [ p sum_k (E[z_k z_k^T] + s2_down_k P_k^2 + s2_up_k I) + q sum_{k != l} E[z_k z_l^T] ]
        CommonOps_DDRM.scale(pc / (c * c), gg);
        CommonOps_DDRM.addEquals(gg, qcc / (c * c), globalPairs);
        CommonOps_DDRM.transpose(globalPairs, product);
        CommonOps_DDRM.addEquals(gg, qcc / (c * c), product);
        for (int i = 0; i < dimension; i++) {
            gg.add(i, i, pc * uplinkTotal / (c * c));
        }
        // R'_gh = E[e_g' e_g^T] = (p/C) sum_k E[z_k e_g^T];  R'_hh = R_gg
        CommonOps_DDRM.scale(pc / c, gh);
        next.block(h, h).setTo(r.block(g, g));
        if (lossy) {
            stepWithLosses(r, next);
        }
        next.mirrorUpperAndSymmetrise();
    }

    /**
     * The terms a lossy round adds through x = w* (see the class fields): with every poll and upload
     * arriving their coefficients are exactly zero, which is why they are computed only here.
     * With y_k = z_k + x (client k's new model), e_g' = (1/C) sum_k c_k (y_k + noise_k) - x, so
     * <pre>
     *   R'_kx = (1 - pb) R_kx + pb E[z_k x^T]
     *   R'_kg += alpha R_kx + beta E[z_k x^T],   alpha = (K-1)(pc - qbc)/C - (1 - pb), beta = ((K-1) qbc + pc)/C - pb
     *   R'_gg += gamma (Z + Z^T) + delta x x^T,  Z = sum_k E[z_k x^T],
     *            gamma = (pc + (K-1) qcc)/C^2 - pc/C, delta = K (pc + (K-1) qcc)/C^2 - 2 K pc/C + 1
     *   R'_gh += (K pc/C - 1) R_xg,   R'_gx = (pc/C) Z + (K pc/C - 1) x x^T,   R'_hx = R_gx,   R'_xx = x x^T
     * </pre>
     */
    private void stepWithLosses(BlockMoment r, BlockMoment next) {
        final int g = clients;
        final int h = clients + 1;
        final int x = clients + 2;
        final double c = selected;
        final double pb = stepping;
        final double pc = heard;
        final double qbc = steppingHeard;
        final double qcc = heardPair;
        final double kk = clients;
        CommonOps_DDRM.add(2.0, r.block(g, x), -1.0, r.block(h, x), broadcastOptimum);      // E[s x^T]
        stepOptimumSum.zero();
        final double alpha = (kk - 1) * (pc - qbc) / c - (1.0 - pb);
        final double beta = ((kk - 1) * qbc + pc) / c - pb;
        for (int k = 0; k < clients; k++) {
            final DMatrixRMaj rkx = r.block(k, x);
            // E[z_k x^T] = R_kx + P_k (E[s x^T] - R_kx)
            CommonOps_DDRM.subtract(broadcastOptimum, rkx, difference);
            CommonOps_DDRM.mult(penalised[k], difference, stepOptimum[k]);
            CommonOps_DDRM.addEquals(stepOptimum[k], rkx);
            CommonOps_DDRM.addEquals(stepOptimumSum, stepOptimum[k]);
            CommonOps_DDRM.add(1.0 - pb, rkx, pb, stepOptimum[k], next.block(k, x));
            final DMatrixRMaj kg = next.block(k, g);
            CommonOps_DDRM.addEquals(kg, alpha, rkx);
            CommonOps_DDRM.addEquals(kg, beta, stepOptimum[k]);
        }
        final double gamma = (pc + (kk - 1) * qcc) / (c * c) - pc / c;
        final double delta = kk * (pc + (kk - 1) * qcc) / (c * c) - 2.0 * kk * pc / c + 1.0;
        final DMatrixRMaj gg = next.block(g, g);
        CommonOps_DDRM.addEquals(gg, gamma, stepOptimumSum);
        CommonOps_DDRM.transpose(stepOptimumSum, product);
        CommonOps_DDRM.addEquals(gg, gamma, product);
        CommonOps_DDRM.addEquals(gg, delta, optimumOuter);
        final double heardShare = kk * pc / c - 1.0;                                       // dd du - 1
        CommonOps_DDRM.transpose(r.block(g, x), product);                                  // R_xg
        CommonOps_DDRM.addEquals(next.block(g, h), heardShare, product);
        CommonOps_DDRM.add(pc / c, stepOptimumSum, heardShare, optimumOuter, next.block(g, x));
        next.block(h, x).setTo(r.block(g, x));
        next.block(x, x).setTo(optimumOuter);
    }

    /**
     * The terms of every pair (k, l), l > k, of one round: writes next(k, l), rowSum[k],
     * rowPairs[k], and parks (p-q) E[z_k e_l^T] + q E[z_k z_l^T] (row l's term, transposed) in
     * next(l, k). Touches nothing another row writes.
     */
    private void pairRow(int k, BlockMoment r, BlockMoment next) {
        final PairScratch scratch = pairScratch.get();
        final DMatrixRMaj stepToE = scratch.stepToE;
        final DMatrixRMaj eToStep = scratch.eToStep;
        final DMatrixRMaj stepToStep = scratch.stepToStep;
        final DMatrixRMaj difference = scratch.difference;
        final double q = steppingPair;                    // E[b_k b_l]
        final double neither = 1.0 - 2.0 * stepping + q;  // E[(1 - b_k)(1 - b_l)]
        final double one = stepping - q;                  // E[b_k (1 - b_l)]
        final double qh = steppingHeard;                  // E[b_k c_l]
        final double oneHeard = heard - qh;               // E[(1 - b_k) c_l]
        final DMatrixRMaj pk = penalised[k];
        rowSum[k].zero();
        rowPairs[k].zero();
        for (int l = k + 1; l < clients; l++) {
            final DMatrixRMaj pl = penalised[l];
            final DMatrixRMaj rkl = r.block(k, l);
            // E[z_k e_l^T] = R_kl + P_k (S_l - R_kl)
            CommonOps_DDRM.subtract(broadcastCross[l], rkl, difference);
            CommonOps_DDRM.mult(pk, difference, stepToE);
            CommonOps_DDRM.addEquals(stepToE, rkl);
            // E[e_k z_l^T] = R_kl + (S_k^T - R_kl) P_l
            CommonOps_DDRM.subtract(broadcastCrossT[k], rkl, difference);
            CommonOps_DDRM.mult(difference, pl, eToStep);
            CommonOps_DDRM.addEquals(eToStep, rkl);
            // E[z_k z_l^T] = E[z_k e_l^T] + (Q_k - E[z_k e_l^T]) P_l
            CommonOps_DDRM.subtract(stepBroadcast[k], stepToE, difference);
            CommonOps_DDRM.mult(difference, pl, stepToStep);
            CommonOps_DDRM.addEquals(stepToStep, stepToE);
            // R'_kl = (1-2p+q) R_kl + (p-q) (E[z_k e_l^T] + E[e_k z_l^T]) + q E[z_k z_l^T]
            final DMatrixRMaj out = next.block(k, l);
            CommonOps_DDRM.add(neither, rkl, one, stepToE, out);
            CommonOps_DDRM.addEquals(out, one, eToStep);
            CommonOps_DDRM.addEquals(out, q, stepToStep);
            // Row k's terms of R'_kg and R'_gg; row l's term of R'_lg, transposed, parked in (l, k).
            CommonOps_DDRM.addEquals(rowSum[k], oneHeard, eToStep);
            CommonOps_DDRM.addEquals(rowSum[k], qh, stepToStep);
            CommonOps_DDRM.addEquals(rowPairs[k], stepToStep);
            CommonOps_DDRM.add(oneHeard, stepToE, qh, stepToStep, next.block(l, k));
        }
    }

    /** rowSumT[l] = sum over k < l, in order, of the terms {@link #pairRow} parked in next(l, k). */
    private void collectColumn(int l, BlockMoment next) {
        rowSumT[l].zero();
        for (int k = 0; k < l; k++) {
            CommonOps_DDRM.addEquals(rowSumT[l], next.block(l, k));
        }
    }

    private DMatrixRMaj[] matrices(int count) {
        final DMatrixRMaj[] m = new DMatrixRMaj[count];
        for (int i = 0; i < count; i++) {
            m[i] = new DMatrixRMaj(dimension, dimension);
        }
        return m;
    }

    private static void symmetrise(DMatrixRMaj m) {
        final int n = m.numRows;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                final double mean = 0.5 * (m.unsafe_get(i, j) + m.unsafe_get(j, i));
                m.unsafe_set(i, j, mean);
                m.unsafe_set(j, i, mean);
            }
        }
    }

    /** out = alpha x y^T. */
    private static void outer(double alpha, double[] x, double[] y, DMatrixRMaj out) {
        out.zero();
        addOuter(alpha, x, y, out);
    }

    /** out += alpha x y^T. */
    private static void addOuter(double alpha, double[] x, double[] y, DMatrixRMaj out) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                out.add(i, j, alpha * x[i] * y[j]);
            }
        }
    }
}
