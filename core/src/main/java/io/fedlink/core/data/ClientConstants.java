package io.fedlink.core.data;

import io.fedlink.core.linalg.Eigenbasis;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Client k's constants, computed once from its local data (SPEC section 1) and shared read-only by
 * every trial and every engine:
 * <pre>
 *   N_k  = (2 X_k^T W_k X_k + rho I)^{-1}        (7)
 *   wh_k = 2 N_k X_k^T W_k y_k                   (8)
 * </pre>
 * The update rules only ever need P_k = rho N_k (the ADMM rule rewrites N_k (z - rho w) as
 * P_k (z / rho - w)), so P_k is what is kept, by columns for {@link io.fedlink.core.linalg.VectorOps}.
 * Rules that apply P_k in every round, polled or not, use its eigenbasis instead
 * ({@link #penalisedEigenbasis()}), computed on first use and shared from then on.
 *
 * <p>Immutable (the eigenbasis is a cache of a pure function of P_k) and safe to share across threads.
 */
public final class ClientConstants {

    private final int clientId;
    private final double rho;
    private final double[][] penalised;
    private final double[] localSolution;
    private volatile Eigenbasis penalisedEigenbasis;

    /**
     * @param clientId      k
     * @param rho           the ADMM penalty the constants were computed for
     * @param penalised     P_k = rho N_k as L columns of length L; never modified after construction
     * @param localSolution wh_k, length L; never modified after construction
     */
    public ClientConstants(int clientId, double rho, double[][] penalised, double[] localSolution) {
        final int dimension = localSolution.length;
        if (penalised.length != dimension) {
            throw new IllegalArgumentException("P_k must be " + dimension + "x" + dimension);
        }
        for (double[] column : penalised) {
            if (column.length != dimension) {
                throw new IllegalArgumentException("P_k must be " + dimension + "x" + dimension);
            }
        }
        this.clientId = clientId;
        this.rho = rho;
        this.penalised = penalised;
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

    /** P_k = rho N_k as L columns of length L: a live view, never to be modified. */
    public double[][] penalised() {
        return penalised;
    }

    /** wh_k, length L: a live view, never to be modified. */
    public double[] localSolution() {
        return localSolution;
    }

    /**
     * P_k = V diag(p) V^T. P_k is symmetric positive definite with eigenvalues in (0, 1]:
     * 1 / (1 + 2 w s_i / rho) for the squared singular values s_i of X_k, and 1 (to rounding) on the
     * L - d_k directions no sample of client k reaches. Computed once, on first use, by whichever
     * thread asks first (the decomposition is deterministic, so every caller sees the same numbers).
     */
    public Eigenbasis penalisedEigenbasis() {
        Eigenbasis basis = penalisedEigenbasis;
        if (basis == null) {
            synchronized (this) {
                basis = penalisedEigenbasis;
                if (basis == null) {
                    basis = Eigenbasis.ofSymmetric(penalised);
                    penalisedEigenbasis = basis;
                }
            }
        }
        return basis;
    }

    /** L. */
    public int dimension() {
        return localSolution.length;
    }

    /** P_k = rho N_k as a dense EJML matrix (a copy), for analysis and tests. */
    public DMatrixRMaj penalisedMatrix() {
        final int dimension = dimension();
        final DMatrixRMaj p = new DMatrixRMaj(dimension, dimension);
        for (int j = 0; j < dimension; j++) {
            for (int i = 0; i < dimension; i++) {
                p.set(i, j, penalised[j][i]);
            }
        }
        return p;
    }

    /** Computes N_k by a Cholesky factorisation (the matrix is symmetric positive definite) and wh_k. */
    public static ClientConstants of(ClientData data, double rho) {
        if (!(rho > 0.0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be a positive finite number, got " + rho);
        }
        final DMatrixRMaj x = data.regressors();
        final int dimension = data.dimension();
        final double w = data.weight();

        final DMatrixRMaj system = new DMatrixRMaj(dimension, dimension);
        CommonOps_DDRM.multInner(x, system);              // X^T X
        CommonOps_DDRM.scale(2.0 * w, system);            // 2 X^T W X, with W = w I
        for (int i = 0; i < dimension; i++) {
            system.add(i, i, rho);                        // + rho I
        }
        final DMatrixRMaj inverse = new DMatrixRMaj(dimension, dimension);
        final LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(dimension);
        if (!cholesky.setA(system)) {
            throw new IllegalStateException("2 X^T W X + rho I is not positive definite for client " + data.clientId());
        }
        cholesky.invert(inverse);                         // N_k (7)

        // wh_k by a solve with the same factor, not by multiplying with the explicit inverse: the
        // system's condition number reaches 1e7-5e7 in the paper's setting, and the solve keeps
        // wh_k accurate to the last digits where the product loses about seven.
        final DMatrixRMaj rhs = new DMatrixRMaj(dimension, 1);
        CommonOps_DDRM.multTransA(x, data.observations(), rhs);
        CommonOps_DDRM.scale(2.0 * w, rhs);              // 2 X^T W y
        final DMatrixRMaj local = new DMatrixRMaj(dimension, 1);
        cholesky.solve(rhs, local);                       // wh_k = 2 N_k X^T W y (8)

        final double[][] penalised = new double[dimension][dimension];
        for (int j = 0; j < dimension; j++) {
            for (int i = 0; i < dimension; i++) {
                penalised[j][i] = rho * inverse.get(i, j);
            }
        }
        return new ClientConstants(data.clientId(), rho, penalised, local.data.clone());
    }
}
