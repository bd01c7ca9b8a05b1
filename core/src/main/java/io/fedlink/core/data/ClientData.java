package io.fedlink.core.data;

import org.ejml.data.DMatrixRMaj;

/**
 * One client's local data set: regressors X_k (d_k x L) and observations y_k (d_k x 1), with
 * y_k = X_k omega + nu_k (SPEC section 1). The weight is W_k = {@code weight} * I.
 */
public record ClientData(int clientId, DMatrixRMaj regressors, DMatrixRMaj observations, double weight) {

    public ClientData {
        if (regressors.numRows != observations.numRows || observations.numCols != 1) {
            throw new IllegalArgumentException("X is " + regressors.numRows + "x" + regressors.numCols
                    + " but y is " + observations.numRows + "x" + observations.numCols);
        }
    }

    /** d_k. */
    public int samples() {
        return regressors.numRows;
    }

    /** L. */
    public int dimension() {
        return regressors.numCols;
    }
}
