package io.fedlink.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * An orthonormal eigenbasis of a symmetric matrix, A = V diag(lambda) V^T, for rules that apply the
 * same fixed linear map round after round: in the basis of V the map acts coordinate by coordinate,
 * so a step costs O(n) instead of an n x n product, and only vectors that cross a link need the two
 * changes of basis.
 *
 * <p>V and V^T are both held by columns, so that {@link #toBasis} and {@link #fromBasis} are the
 * vectorised column-ordered product of {@link VectorOps#multiply}. Immutable once built; shared
 * read-only by every trial and thread.
 */
public final class Eigenbasis {

    private final double[][] basis;        // V by columns: basis[j] is eigenvector j
    private final double[][] transposed;   // V^T by columns: transposed[i][j] = V(i, j)
    private final double[] eigenvalues;

    private Eigenbasis(double[][] basis, double[][] transposed, double[] eigenvalues) {
        this.basis = basis;
        this.transposed = transposed;
        this.eigenvalues = eigenvalues;
    }

    /**
     * Decomposes a symmetric matrix given by its columns (EJML's symmetric QR algorithm, with
     * eigenvectors). Only the symmetry of the input is assumed; it is not modified.
     *
     * @throws IllegalArgumentException if the matrix is not square and symmetric to 1e-12 relative
     * @throws IllegalStateException    if the decomposition does not converge
     */
    public static Eigenbasis ofSymmetric(double[][] columns) {
        final int n = columns.length;
        final DMatrixRMaj a = new DMatrixRMaj(n, n);
        double largest = 0.0;
        for (int j = 0; j < n; j++) {
            if (columns[j].length != n) {
                throw new IllegalArgumentException("the matrix must be square: column " + j + " has length "
                        + columns[j].length + ", expected " + n);
            }
            for (int i = 0; i < n; i++) {
                a.set(i, j, columns[j][i]);
                largest = Math.max(largest, Math.abs(columns[j][i]));
            }
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < j; i++) {
                if (Math.abs(columns[j][i] - columns[i][j]) > 1e-12 * largest) {
                    throw new IllegalArgumentException("the matrix is not symmetric: entries (" + i + ", " + j
                            + ") and (" + j + ", " + i + ") differ");
                }
            }
        }
        final EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eigen.decompose(a)) {
            throw new IllegalStateException("the symmetric eigendecomposition of a " + n + "x" + n
                    + " matrix did not converge");
        }
        final double[][] basis = new double[n][n];
        final double[][] transposed = new double[n][n];
        final double[] eigenvalues = new double[n];
        for (int j = 0; j < n; j++) {
            eigenvalues[j] = eigen.getEigenvalue(j).getReal();
            final DMatrixRMaj vector = eigen.getEigenVector(j);
            for (int i = 0; i < n; i++) {
                basis[j][i] = vector.get(i, 0);
                transposed[i][j] = vector.get(i, 0);
            }
        }
        return new Eigenbasis(basis, transposed, eigenvalues);
    }

    /** n. */
    public int dimension() {
        return eigenvalues.length;
    }

    /** lambda_j, in the order of the eigenvectors; a live view, not to be modified. */
    public double[] eigenvalues() {
        return eigenvalues;
    }

    /**
     * z = V^T x: the coordinates of x in the eigenbasis.
     *
     * @param x input of length n, not modified (must not alias z)
     * @param z output of length n, overwritten
     */
    public void toBasis(double[] x, double[] z) {
        VectorOps.multiply(transposed, x, z);
    }

    /**
     * x = V z: the vector with coordinates z in the eigenbasis.
     *
     * @param z input of length n, not modified (must not alias x)
     * @param x output of length n, overwritten
     */
    public void fromBasis(double[] z, double[] x) {
        VectorOps.multiply(basis, z, x);
    }

    /** V as a dense EJML matrix (a copy), for analysis and tests. */
    public DMatrixRMaj basisMatrix() {
        final int n = dimension();
        final DMatrixRMaj v = new DMatrixRMaj(n, n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                v.set(i, j, basis[j][i]);
            }
        }
        return v;
    }
}
