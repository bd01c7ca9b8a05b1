package io.fedlink.core.data;

import io.fedlink.core.linalg.Eigenbasis;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Client k's constants, computed once from its local data (SPEC section 1) and shared read-only by
 * every trial and every engine:
 * <pre>
 *   N_k  = (2 X_k^T W_k X_k + rho I)^{-1}        (7)
 *   wh_k = 2 N_k X_k^T W_k y_k                   (8)
 * </pre>
 * The update rules only ever need P_k = rho N_k (the ADMM rule rewrites N_k (z - rho w) as
 * P_k (z / rho - w)), so P_k is what is offered, by columns for {@link io.fedlink.core.linalg.VectorOps},
 * built from its eigenvectors ({@link #dataEigenbasis()}) when a rule first asks for it. Rules that
 * apply P_k in every round, polled or not, use the eigenvectors instead and never build it. Immutable
 * in effect and safe to share across threads.
 */
public final class ClientConstants {

    private final int clientId;
    private final double rho;
    private final double[] localSolution;
    private final Eigenbasis dataEigenbasis;
    // P_k as L columns, built from the eigenbasis on first use: only the rules that multiply by P_k
    // itself need it (2.3 KB a client at L = 16, 130 KB at L = 128), and the continual rule, fedlink
    // scale's, never does. Racing first uses build the same bits; the volatile write publishes them.
    private volatile double[][] penalised;

    /**
     * @param clientId       k
     * @param rho            the ADMM penalty the constants were computed for
     * @param localSolution  wh_k, length L; never modified after construction
     * @param dataEigenbasis P_k's eigenvectors on the span of the samples (see {@link #dataEigenbasis()}),
     *                       which determine P_k
     */
    public ClientConstants(int clientId, double rho, double[] localSolution, Eigenbasis dataEigenbasis) {
        if (dataEigenbasis.dimension() != localSolution.length) {
            throw new IllegalArgumentException("the eigenbasis of P_k must live in dimension " + localSolution.length);
        }
        this.clientId = clientId;
        this.dataEigenbasis = dataEigenbasis;
        this.rho = rho;
        this.localSolution = localSolution;
    }

    /** k. */
    public int clientId() {
        return clientId;
    }

    /** The ADMM penalty the constants were computed for. */
    public double rho() {
        return rho;
    }

    /**
     * P_k = rho N_k as L columns of length L: a live view, never to be modified. Built from
     * {@link #dataEigenbasis()} on the first call (see {@link #penalisedFrom}), then kept.
     */
    public double[][] penalised() {
        double[][] p = penalised;
        if (p == null) {
            p = penalisedFrom(dataEigenbasis);
            penalised = p;
        }
        return p;
    }

    /** wh_k, length L: a live view, never to be modified. */
    public double[] localSolution() {
        return localSolution;
    }

    /** L. */
    public int dimension() {
        return localSolution.length;
    }

    /**
     * P_k's eigenvectors on the span of client k's samples: U (L x r) and p with
     * <pre>  P_k = U diag(p) U^T + (I - U U^T)  </pre>
     * P_k = rho (2 w X_k^T X_k + rho I)^{-1} has eigenvalue p_i = rho / (rho + 2 w s_i) for each
     * eigenvalue s_i of X_k^T X_k, and exactly 1 on the L - r directions no sample reaches
     * (r = d_k < L in the paper's setting), where P_k is the identity. p is ascending.
     */
    public Eigenbasis dataEigenbasis() {
        return dataEigenbasis;
    }

    /**
     * The curvatures of client k's loss J_k(w) = (y - X w)^T W (y - X w) along {@link #dataEigenbasis()}:
     * the eigenvalues h_i = 2 w s_i of its Hessian H_k = 2 X_k^T W_k X_k, in the basis's order
     * (descending), recovered from P_k's as h_i = rho (1 - p_i) / p_i (exact to rounding where h_i is
     * not far below rho, and negligible where it is). On the directions no sample reaches, H_k is 0.
     * For rules that take gradient steps (FedAvg and its kin): a fresh array.
     */
    public double[] curvatures() {
        final double[] p = dataEigenbasis.eigenvalues();
        final double[] h = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            h[i] = rho * (1.0 - p[i]) / p[i];
        }
        return h;
    }

    /** The largest curvature of client k's loss, lambda_max(H_k) (0 for a client with no data). */
    public double largestCurvature() {
        double largest = 0.0;
        for (double h : curvatures()) {
            largest = Math.max(largest, h);
        }
        return largest;
    }

    /**
     * g_k = 2 X_k^T W_k y_k, so that the gradient of client k's loss is H_k w - g_k, in
     * {@link #dataEigenbasis()}'s coordinates: U^T g_k = (h + rho) o U^T wh_k, since
     * wh_k = (H_k + rho I)^{-1} g_k and g_k lies in the span of U. A fresh array of length r.
     */
    public double[] gradientOffsetCoordinates() {
        final double[] h = curvatures();
        final double[] z = new double[h.length];
        dataEigenbasis.coordinates(localSolution, z);
        for (int i = 0; i < z.length; i++) {
            z[i] *= h[i] + rho;
        }
        return z;
    }

    /** P_k = rho N_k as a dense EJML matrix (a copy), for analysis and tests. */
    public DMatrixRMaj penalisedMatrix() {
        final int dimension = dimension();
        final DMatrixRMaj p = new DMatrixRMaj(dimension, dimension);
        final double[][] columns = penalised();
        for (int j = 0; j < dimension; j++) {
            for (int i = 0; i < dimension; i++) {
                p.set(i, j, columns[j][i]);
            }
        }
        return p;
    }

    /** Computes P_k = rho N_k and wh_k from the singular value decomposition of X_k. */
    public static ClientConstants of(ClientData data, double rho) {
        if (!(rho > 0.0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be a positive finite number, got " + rho);
        }
        final DMatrixRMaj x = data.regressors();
        final int dimension = data.dimension();
        final double w = data.weight();

        // Everything from the SVD of X_k (see dataEigenbasis): no L x L
        // inverse is formed. The system 2 X^T W X + rho I has condition numbers of 1e7-5e7 in the
        // paper's setting; in its eigenbasis wh_k below and P_k (penalisedFrom) are exact up to rounding in U.
        final Eigenbasis basis = dataEigenbasis(x, w, rho, data.clientId());
        final double[] p = basis.eigenvalues();

        // wh_k = 2 N_k X^T W y = U diag(2 w p / rho) U^T X^T y   (8): X^T y lies in the span of U
        final DMatrixRMaj moment = new DMatrixRMaj(dimension, 1);
        CommonOps_DDRM.multTransA(x, data.observations(), moment);
        final double[] coordinates = new double[p.length];
        basis.coordinates(moment.data, coordinates);
        for (int l = 0; l < p.length; l++) {
            coordinates[l] *= 2.0 * w * p[l] / rho;
        }
        final double[] local = new double[dimension];
        basis.fromBasis(coordinates, local);
        return new ClientConstants(data.clientId(), rho, local, basis);
    }

    /**
     * P_k = rho N_k = I + U diag(p - 1) U^T   (7), by columns, from its eigenbasis. With r = L the identity
     * part is empty and P_k = U diag(p) U^T is summed directly: I - U U^T would be rounding noise of
     * ~1e-15 against entries of ~p ~ 1e-5, a relative error of 1e-10.
     */
    private static double[][] penalisedFrom(Eigenbasis basis) {
        final int dimension = basis.dimension();
        final double[] p = basis.eigenvalues();
        final DMatrixRMaj u = basis.basisMatrix();
        final boolean fullRank = p.length == dimension;
        final double[][] penalised = new double[dimension][dimension];
        if (!fullRank) {
            for (int j = 0; j < dimension; j++) {
                penalised[j][j] = 1.0;
            }
        }
        final double[] eigenvector = new double[dimension];
        for (int l = 0; l < p.length; l++) {
            for (int i = 0; i < dimension; i++) {
                eigenvector[i] = u.get(i, l);
            }
            final double shrink = fullRank ? p[l] : p[l] - 1.0;
            for (int j = 0; j < dimension; j++) {
                final double coefficient = shrink * eigenvector[j];
                final double[] column = penalised[j];
                for (int i = 0; i < dimension; i++) {
                    column[i] += coefficient * eigenvector[i];
                }
            }
        }
        return penalised;
    }

    /**
     * U and p from the singular value decomposition X_k = Q diag(sigma) V^T (compact: V is L x r,
     * r = min(d_k, L)): U = V, s_i = sigma_i^2. The SVD gives an orthonormal U and accurate small
     * singular values whatever the conditioning of X_k (eigenvectors of X X^T would lose
     * orthogonality as eps s_max / s_i). A direction with sigma_i = 0 (a rank-deficient X_k) keeps
     * p_i = 1, the identity it is. Ordered by sigma descending, so that p ascends.
     */
    private static Eigenbasis dataEigenbasis(DMatrixRMaj x, double w, double rho, int clientId) {
        final int samples = x.numRows;
        final int dimension = x.numCols;
        final SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(samples, dimension, false, true, true);
        if (!svd.decompose(x.copy())) {
            throw new IllegalStateException("the singular value decomposition of X_k did not converge for client "
                    + clientId);
        }
        final double[] sigma = svd.getSingularValues();
        final int rank = svd.numberOfSingularValues();
        final DMatrixRMaj v = svd.getV(null, false);      // L x r
        final Integer[] order = IntStream.range(0, rank).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -sigma[j]));   // stable: ties keep their order
        final double[][] vectors = new double[rank][dimension];
        final double[] p = new double[rank];
        for (int l = 0; l < rank; l++) {
            final int j = order[l];
            for (int i = 0; i < dimension; i++) {
                vectors[l][i] = v.get(i, j);
            }
            final double s = sigma[j] * sigma[j];
            p[l] = rho / (rho + 2.0 * w * s);
        }
        return Eigenbasis.of(dimension, vectors, p);
    }
}
