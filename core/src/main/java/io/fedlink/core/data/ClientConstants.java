package io.fedlink.core.data;

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
 *
 * @param clientId  k
 * @param rho       the ADMM penalty the constants were computed for
 * @param penalised P_k = rho N_k as L columns of length L; never modified after construction
 * @param localSolution wh_k, length L; never modified after construction
 */
public record ClientConstants(int clientId, double rho, double[][] penalised, double[] localSolution) {

    public ClientConstants {
        final int dimension = localSolution.length;
        if (penalised.length != dimension) {
            throw new IllegalArgumentException("P_k must be " + dimension + "x" + dimension);
        }
        for (double[] column : penalised) {
            if (column.length != dimension) {
                throw new IllegalArgumentException("P_k must be " + dimension + "x" + dimension);
            }
        }
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
