package io.fedlink.algorithms;

import io.fedlink.core.data.ClientData;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The independent computation the baselines' tests compare with: client k's loss from its raw data,
 * densely, H = 2 w X^T X and g = 2 w X^T y, and plain gradient steps, with none of the rules' eigenbasis.
 */
final class Dense {

    final DMatrixRMaj hessian;
    final double[] offset;
    final double largest;

    Dense(ClientData data) {
        final int l = data.dimension();
        final double w = data.weight();
        hessian = new DMatrixRMaj(l, l);
        CommonOps_DDRM.multTransA(data.regressors(), data.regressors(), hessian);
        CommonOps_DDRM.scale(2.0 * w, hessian);
        final DMatrixRMaj g = new DMatrixRMaj(l, 1);
        CommonOps_DDRM.multTransA(data.regressors(), data.observations(), g);
        CommonOps_DDRM.scale(2.0 * w, g);
        offset = g.data.clone();
        final EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(l, false, true);
        if (!eigen.decompose(hessian.copy())) {
            throw new IllegalStateException("no eigenvalues");
        }
        double max = 0.0;
        for (int i = 0; i < l; i++) {
            max = Math.max(max, eigen.getEigenvalue(i).getReal());
        }
        largest = max;
    }

    /** grad J(w) = H w - g. */
    double[] gradient(double[] w) {
        final double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double s = -offset[i];
            for (int j = 0; j < w.length; j++) {
                s += hessian.get(i, j) * w[j];
            }
            out[i] = s;
        }
        return out;
    }

    static double relativeError(double[] actual, double[] expected) {
        double d = 0.0;
        double n = 0.0;
        for (int i = 0; i < expected.length; i++) {
            d += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            n += expected[i] * expected[i];
        }
        return Math.sqrt(d / n);
    }
}
