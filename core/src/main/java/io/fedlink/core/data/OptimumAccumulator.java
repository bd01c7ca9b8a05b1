package io.fedlink.core.data;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Sums the clients' statistics and solves for the centralised WLS solution (eq. 3):
 * <pre>   w* = (sum_k w_k X_k^T X_k)^{-1} (sum_k w_k X_k^T y_k)   </pre>
 * Clients must be added in ascending id order: the one JVM that generates every client and a
 * cluster server that receives them from many nodes then compute the same w*, bit for bit.
 */
public final class OptimumAccumulator {

    private final DMatrixRMaj gram;
    private final DMatrixRMaj moment;
    private int lastClientId = -1;
    private int added;

    public OptimumAccumulator(int dimension) {
        this.gram = new DMatrixRMaj(dimension, dimension);
        this.moment = new DMatrixRMaj(dimension, 1);
    }

    /** Adds client k's statistics; ids must ascend. */
    public void add(ClientStatistics statistics) {
        if (statistics.clientId() <= lastClientId) {
            throw new IllegalArgumentException("client statistics must be added in ascending id order: "
                    + statistics.clientId() + " after " + lastClientId);
        }
        if (statistics.moment().length != moment.numRows) {
            throw new IllegalArgumentException("client " + statistics.clientId() + " has dimension "
                    + statistics.moment().length + ", expected L = " + moment.numRows);
        }
        lastClientId = statistics.clientId();
        final int dimension = moment.numRows;
        CommonOps_DDRM.addEquals(gram, statistics.weight(), DMatrixRMaj.wrap(dimension, dimension, statistics.gram()));
        CommonOps_DDRM.addEquals(moment, statistics.weight(), DMatrixRMaj.wrap(dimension, 1, statistics.moment()));
        added++;
    }

    /** Clients added so far. */
    public int added() {
        return added;
    }

    /** w*, by a Cholesky solve of the summed normal equations. */
    public double[] solve() {
        final LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(gram.numRows);
        if (!cholesky.setA(gram.copy())) {
            throw new IllegalStateException("sum_k X_k^T W_k X_k is singular: the federation holds "
                    + "too few samples to determine w* (need at least L in all)");
        }
        final DMatrixRMaj solution = new DMatrixRMaj(gram.numRows, 1);
        cholesky.solve(moment, solution);
        return solution.data.clone();
    }
}
