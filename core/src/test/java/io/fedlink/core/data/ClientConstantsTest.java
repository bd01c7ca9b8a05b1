package io.fedlink.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * N_k (7) and wh_k (8) against direct LU computations from the raw data. The production code uses
 * Cholesky; LU shares nothing with it but the data.
 */
class ClientConstantsTest {

    private static final long SEED = 11;

    /** 2 X^T W X + rho I, assembled entry by entry from the data. */
    private static DMatrixRMaj regularisedGram(ClientData data, double rho) {
        final DMatrixRMaj x = data.regressors();
        final int l = data.dimension();
        final DMatrixRMaj system = new DMatrixRMaj(l, l);
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                double dot = 0.0;
                for (int r = 0; r < data.samples(); r++) {
                    dot += x.get(r, i) * x.get(r, j);
                }
                system.set(i, j, 2.0 * data.weight() * dot + (i == j ? rho : 0.0));
            }
        }
        return system;
    }

    private static double relativeFrobenius(DMatrixRMaj actual, DMatrixRMaj expected) {
        final DMatrixRMaj difference = new DMatrixRMaj(expected.numRows, expected.numCols);
        CommonOps_DDRM.subtract(actual, expected, difference);
        return NormOps_DDRM.normF(difference) / NormOps_DDRM.normF(expected);
    }

    /**
     * The tolerance of a comparison between two solutions of a system with 2-norm condition number
     * kappa: backward-stable inversion and solution carry a relative forward error up to c n kappa eps
     * (Higham, Accuracy and Stability, ch. 13-14), so the two may differ by that much; we take c = 1.
     * Well-conditioned systems get the flat 1e-10.
     */
    private static double tolerance(DMatrixRMaj system) {
        return Math.max(1e-10, system.numRows * NormOps_DDRM.conditionP2(system) * Math.ulp(1.0));
    }

    // d_k > L: kappa ~ 1e2, the 1e-10 bound applies and catches any algebraic slip. In the paper's
    // setting (L = 128 > d_k, rho = 1) kappa ~ 1e7-5e7 (rho is the smallest eigenvalue, 2 W lambda_max
    // the largest) and the bound is 2e-7 to 1.5e-6. Measured at seed 11: N_k within 0.07-0.35
    // kappa eps of LU; wh_k, which the code forms as N_k times 2 X^T W y rather than by a solve,
    // within 0.6-7.2 kappa eps.
    @ParameterizedTest(name = "client {0}, L = {1}, rho = {2}")
    @CsvSource({"3, 8, 1.0", "3, 8, 1e6", "64, 32, 10.0", "0, 128, 1.0", "57, 128, 1.0", "99, 128, 1.0"})
    void penalisedMatrixIsRhoTimesInverseOfRegularisedGram(int clientId, int dimension, double rho) {
        final ClientData data = new DataGenerator(SEED, dimension, SampleCounts.paper()).client(clientId);
        final ClientConstants constants = ClientConstants.of(data, rho);

        final DMatrixRMaj system = regularisedGram(data, rho);
        final DMatrixRMaj inverse = system.copy();
        assertTrue(CommonOps_DDRM.invert(inverse));                     // LU
        final DMatrixRMaj n = constants.penalisedMatrix();
        CommonOps_DDRM.scale(1.0 / rho, n);                             // N_k = P_k / rho

        final double error = relativeFrobenius(n, inverse);
        final double tolerance = tolerance(system);
        assertTrue(error < tolerance, () -> "relative error " + error + ", tolerance " + tolerance);
    }

    @ParameterizedTest(name = "client {0}, L = {1}, rho = {2}")
    @CsvSource({"3, 8, 1.0", "3, 8, 1e6", "64, 32, 10.0", "0, 128, 1.0", "57, 128, 1.0", "99, 128, 1.0"})
    void localSolutionSolvesRegularisedNormalEquations(int clientId, int dimension, double rho) {
        final ClientData data = new DataGenerator(SEED, dimension, SampleCounts.paper()).client(clientId);
        final ClientConstants constants = ClientConstants.of(data, rho);

        // (2 X^T W X + rho I) wh = 2 X^T W y, solved by LU.
        final DMatrixRMaj system = regularisedGram(data, rho);
        final DMatrixRMaj rhs = new DMatrixRMaj(dimension, 1);
        CommonOps_DDRM.multTransA(data.regressors(), data.observations(), rhs);
        CommonOps_DDRM.scale(2.0 * data.weight(), rhs);
        final LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(dimension);
        assertTrue(lu.setA(system.copy()));
        final DMatrixRMaj expected = new DMatrixRMaj(dimension, 1);
        lu.solve(rhs, expected);

        final double error = StackedLeastSquares.relativeError(constants.localSolution(), expected.data);
        final double tolerance = tolerance(system);
        assertTrue(error < tolerance, () -> "relative error " + error + ", tolerance " + tolerance);
    }

    @Test
    void constantsKeepClientIdAndRho() {
        final ClientData data = new DataGenerator(SEED, 8, SampleCounts.uniform(20, 40)).client(4);
        final ClientConstants constants = ClientConstants.of(data, 2.5);
        assertEquals(4, constants.clientId());
        assertEquals(2.5, constants.rho());
        assertEquals(8, constants.dimension());
    }

    @Test
    void nonPositiveRhoIsRefused() {
        final ClientData data = new DataGenerator(SEED, 8, SampleCounts.uniform(20, 40)).client(0);
        assertThrows(IllegalArgumentException.class, () -> ClientConstants.of(data, 0.0));
        assertThrows(IllegalArgumentException.class, () -> ClientConstants.of(data, -1.0));
        assertThrows(IllegalArgumentException.class, () -> ClientConstants.of(data, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ClientConstants.of(data, Double.POSITIVE_INFINITY));
    }

    /**
     * The data eigenbasis against P_k computed independently (LU inverse of the assembled system):
     * U orthonormal, r = min(d_k, L), p ascending in (0, 1], and U diag(p) U^T + (I - U U^T) = P_k.
     * The LU inverse of a system with condition number up to ~1e6 here (W = 1e4) carries errors of
     * ~1e-10 relative; the tolerance is 1e-8 of ||P_k|| = 1.
     */
    @ParameterizedTest
    @CsvSource({"3, 5, 2.0", "40, 64, 1.0", "70, 128, 1.0", "12, 8, 1.0", "8, 8, 0.5"})
    void dataEigenbasisReproducesPenalisedMatrixOnAndOffTheSamples(int samples, int dimension, double rho) {
        final ClientData data = new DataGenerator(SEED, dimension, SampleCounts.uniform(samples, samples)).client(3);
        final ClientConstants constants = ClientConstants.of(data, rho);
        final io.fedlink.core.linalg.Eigenbasis basis = constants.dataEigenbasis();
        assertEquals(Math.min(samples, dimension), basis.rank());
        final DMatrixRMaj u = basis.basisMatrix();
        final DMatrixRMaj gram = new DMatrixRMaj(basis.rank(), basis.rank());
        CommonOps_DDRM.multTransA(u, u, gram);
        for (int i = 0; i < basis.rank(); i++) {
            for (int j = 0; j < basis.rank(); j++) {
                assertEquals(i == j ? 1.0 : 0.0, gram.get(i, j), 1e-12, "U^T U at (" + i + ", " + j + ")");
            }
        }
        final double[] p = basis.eigenvalues();
        for (int j = 0; j < p.length; j++) {
            assertTrue(p[j] > 0.0 && p[j] <= 1.0, "p_" + j + " = " + p[j]);
            if (j > 0) {
                assertTrue(p[j] >= p[j - 1], "p ascends");
            }
        }
        final DMatrixRMaj rebuilt = CommonOps_DDRM.identity(dimension);          // I
        for (int j = 0; j < p.length; j++) {
            for (int a = 0; a < dimension; a++) {
                for (int b = 0; b < dimension; b++) {
                    rebuilt.add(a, b, (p[j] - 1.0) * u.get(a, j) * u.get(b, j));  // + U diag(p - 1) U^T
                }
            }
        }
        final DMatrixRMaj system = regularisedGram(data, rho);
        final DMatrixRMaj expected = new DMatrixRMaj(dimension, dimension);
        final LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(dimension);
        assertTrue(lu.setA(system));
        lu.invert(expected);
        CommonOps_DDRM.scale(rho, expected);                                    // P_k = rho N_k
        for (int a = 0; a < dimension; a++) {
            for (int b = 0; b < dimension; b++) {
                assertEquals(expected.get(a, b), rebuilt.get(a, b), 1e-8, "P_k at (" + a + ", " + b + ")");
            }
        }
    }
}
