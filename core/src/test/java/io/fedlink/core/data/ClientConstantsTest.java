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
 * N_k (7) and wh_k (8) against direct LU computations from the raw data, and P_k's eigenbasis
 * against an exact (50-digit) inverse and the defining residual. The production code works from
 * the SVD of X_k; LU and the decimal inverse share nothing with it but the data.
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
    // the largest) and the bound is 2e-7 to 1.5e-6: there the LU side carries most of the difference
    // (the SVD route computes each eigenvalue of P_k from its singular value directly).
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

    private static void assertOrthonormal(DMatrixRMaj u) {
        final DMatrixRMaj gram = new DMatrixRMaj(u.numCols, u.numCols);
        CommonOps_DDRM.multTransA(u, u, gram);
        for (int i = 0; i < u.numCols; i++) {
            for (int j = 0; j < u.numCols; j++) {
                assertEquals(i == j ? 1.0 : 0.0, gram.get(i, j), 1e-13, "U^T U at (" + i + ", " + j + ")");
            }
        }
    }

    /**
     * The data eigenbasis against P_k computed exactly (50-digit Gauss-Jordan, {@link ExactPenalised}):
     * U orthonormal, r = min(d_k, L), p ascending in (0, 1], P_k = U diag(p) U^T + (I - U U^T) to
     * 1e-13, and each p_j = u_j^T P_k u_j to 1e-8 relative, although p reaches 1e-7 (a check of the
     * data span that an absolute tolerance on P_k could not make).
     */
    @ParameterizedTest(name = "d = {0}, L = {1}, rho = {2}")
    @CsvSource({"3, 5, 2.0", "7, 16, 1.0", "12, 8, 1.0", "8, 8, 0.5"})
    void dataEigenbasisReproducesTheExactPenalisedMatrix(int samples, int dimension, double rho) {
        final ClientData data = new DataGenerator(SEED, dimension, SampleCounts.uniform(samples, samples)).client(3);
        final ClientConstants constants = ClientConstants.of(data, rho);
        final io.fedlink.core.linalg.Eigenbasis basis = constants.dataEigenbasis();
        assertEquals(Math.min(samples, dimension), basis.rank());
        final DMatrixRMaj u = basis.basisMatrix();
        assertOrthonormal(u);
        final double[] p = basis.eigenvalues();
        for (int j = 0; j < p.length; j++) {
            assertTrue(p[j] > 0.0 && p[j] <= 1.0, "p_" + j + " = " + p[j]);
            if (j > 0) {
                assertTrue(p[j] >= p[j - 1], "p ascends");
            }
        }
        final DMatrixRMaj exact = ExactPenalised.of(data, rho);
        final DMatrixRMaj penalised = constants.penalisedMatrix();
        for (int a = 0; a < dimension; a++) {
            for (int b = 0; b < dimension; b++) {
                assertEquals(exact.get(a, b), penalised.get(a, b), 1e-13, "P_k at (" + a + ", " + b + ")");
            }
        }
        for (int j = 0; j < p.length; j++) {
            double quadratic = 0.0;
            for (int a = 0; a < dimension; a++) {
                for (int b = 0; b < dimension; b++) {
                    quadratic += u.get(a, j) * exact.get(a, b) * u.get(b, j);
                }
            }
            assertEquals(quadratic, p[j], 1e-8 * quadratic + 1e-15, "p_" + j);
        }
    }

    /**
     * At the paper's size, the residual of the defining equation (2 X^T W X + rho I) P_k = rho I,
     * with the system assembled entry by entry from the data: a backward-stable P_k leaves a
     * residual of a few L eps ||A|| ||P_k||, whatever the condition number (1e7-5e7 here).
     */
    @ParameterizedTest(name = "client {0}, L = {1}")
    @CsvSource({"0, 128", "57, 128", "99, 128", "5, 64"})
    void penalisedMatrixSolvesTheDefiningEquationAtThePapersSize(int clientId, int dimension) {
        final ClientData data = new DataGenerator(SEED, dimension, SampleCounts.paper()).client(clientId);
        final ClientConstants constants = ClientConstants.of(data, 1.0);
        assertOrthonormal(constants.dataEigenbasis().basisMatrix());
        final DMatrixRMaj system = regularisedGram(data, 1.0);
        final DMatrixRMaj penalised = constants.penalisedMatrix();
        final DMatrixRMaj residual = new DMatrixRMaj(dimension, dimension);
        CommonOps_DDRM.mult(system, penalised, residual);
        for (int i = 0; i < dimension; i++) {
            residual.add(i, i, -1.0);                                   // rho = 1
        }
        final double bound = 10.0 * dimension * Math.ulp(1.0)
                * NormOps_DDRM.normF(system) * NormOps_DDRM.normF(penalised);
        assertTrue(NormOps_DDRM.normF(residual) < bound,
                () -> "residual " + NormOps_DDRM.normF(residual) + ", bound " + bound);
    }
}
