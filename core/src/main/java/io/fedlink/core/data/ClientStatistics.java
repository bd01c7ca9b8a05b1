package io.fedlink.core.data;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * What w* needs from client k (eq. 3): X_k^T X_k, X_k^T y_k and the weight w of W_k = w I. These
 * sufficient statistics are all a server ever learns about a client's data in a cluster (and only to
 * measure the metric); X_k and y_k themselves never leave the client's node.
 *
 * @param gram   X_k^T X_k, L x L row-major
 * @param moment X_k^T y_k, length L
 */
public record ClientStatistics(int clientId, double[] gram, double[] moment, double weight) {

    public ClientStatistics {
        if (gram.length != moment.length * moment.length) {
            throw new IllegalArgumentException("client " + clientId + ": X^T X must be " + moment.length + "x"
                    + moment.length + ", got " + gram.length + " entries");
        }
    }

    /** Computes the statistics of one client's data. */
    public static ClientStatistics of(ClientData data) {
        final int dimension = data.dimension();
        final DMatrixRMaj gram = new DMatrixRMaj(dimension, dimension);
        CommonOps_DDRM.multInner(data.regressors(), gram);
        final DMatrixRMaj moment = new DMatrixRMaj(dimension, 1);
        CommonOps_DDRM.multTransA(data.regressors(), data.observations(), moment);
        return new ClientStatistics(data.clientId(), gram.data, moment.data, data.weight());
    }
}
