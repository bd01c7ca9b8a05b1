package io.fedlink.core.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * Orthonormal eigenvectors of a symmetric n x n matrix, all of them or some: V (n x r) with
 * V^T V = I and A V = V diag(lambda). For rules that apply the same fixed
 * linear map round after round: in the basis of V the map acts coordinate by coordinate, so a step
 * costs O(r) instead of an n x n product, and only vectors that cross a link change basis.
 *
 * <p>V is held by columns, so that {@link #fromBasis} is the vectorised column-ordered product of
 * {@link VectorOps#multiply}; from n = {@value #TRANSPOSED_FROM} on, V^T too, built when {@link #toBasis} is
 * first called, so that it is as well. Below that size {@link #toBasis} takes dot products over V's
 * columns and no V^T is kept (a large federation's clients at L = 16 would carry 1.4 KB each for it).
 * Immutable in effect; shared read-only by every trial and thread.
 */
public final class Eigenbasis {

    /**
     * From this n on, {@link #toBasis} multiplies by V^T laid out by columns (built on first use and
     * kept: at n = 128 the vectorised column product is 1.25x faster end to end on paper-fig6 than dot
     * products). Below it, dot products over V's own columns, and no V^T is kept: a million clients at
     * n = 16 save 1.4 KB each once polled. Both give the same bits.
     */
    static final int TRANSPOSED_FROM = 32;

    private final int dimension;
    private final double[][] basis;        // V by columns: basis[j] is eigenvector j, length n
    private final double[] eigenvalues;
    // V^T by columns, transposed[i][j] = V(i, j): n columns of length r, built on first use. Racing first
    // uses build the same values; the volatile write publishes them.
    private volatile double[][] transposed;

    private Eigenbasis(int dimension, double[][] basis, double[] eigenvalues) {
        this.dimension = dimension;
        this.basis = basis;
        this.eigenvalues = eigenvalues;
    }

    /**
     * A basis from eigenvectors computed elsewhere.
     *
     * @param dimension   n
     * @param basis       the r eigenvectors, each of length n, orthonormal; kept, not to be modified
     * @param eigenvalues lambda_j for each, in the same order; kept, not to be modified
     */
    public static Eigenbasis of(int dimension, double[][] basis, double[] eigenvalues) {
        if (basis.length != eigenvalues.length || basis.length > dimension) {
            throw new IllegalArgumentException(basis.length + " eigenvectors for " + eigenvalues.length
                    + " eigenvalues in dimension " + dimension);
        }
        for (int j = 0; j < basis.length; j++) {
            if (basis[j].length != dimension) {
                throw new IllegalArgumentException("eigenvector " + j + " has length " + basis[j].length
                        + ", expected " + dimension);
            }
        }
        return new Eigenbasis(dimension, basis, eigenvalues);
    }

    /** V^T by columns, built on the first call. */
    private double[][] transposed() {
        double[][] t = transposed;
        if (t == null) {
            final int rank = basis.length;
            t = new double[dimension][rank];
            for (int j = 0; j < rank; j++) {
                for (int i = 0; i < dimension; i++) {
                    t[i][j] = basis[j][i];
                }
            }
            transposed = t;
        }
        return t;
    }

    /** n, the length of the vectors the basis lives in. */
    public int dimension() {
        return dimension;
    }

    /** r, the number of eigenvectors held. */
    public int rank() {
        return eigenvalues.length;
    }

    /** lambda_j, in the order of the eigenvectors; a live view, not to be modified. */
    public double[] eigenvalues() {
        return eigenvalues;
    }

    /**
     * z = V^T x: the coordinates of x along the eigenvectors.
     *
     * @param x input of length n, not modified (must not alias z)
     * @param z output of length r, overwritten
     */
    public void toBasis(double[] x, double[] z) {
        if (dimension < TRANSPOSED_FROM) {
            coordinates(x, z);
        } else {
            VectorOps.multiply(transposed(), x, z);
        }
    }

    /**
     * z = V^T x as r dot products over V's own columns, without building V^T: for changes of basis made
     * once (a client's constants, its start, w*), bit for bit what {@link #toBasis(double[], double[])}
     * gives (each z_j the terms V(i, j) x_i, i = 0..n-1, added in order to +0, never fused).
     *
     * @param x input of length n, not modified (must not alias z)
     * @param z output of length r, overwritten
     */
    public void coordinates(double[] x, double[] z) {
        for (int j = 0; j < basis.length; j++) {
            final double[] v = basis[j];
            double sum = 0.0;
            for (int i = 0; i < dimension; i++) {
                sum += v[i] * x[i];
            }
            z[j] = sum;
        }
    }

    /**
     * x = V z: the vector with coordinates z along the eigenvectors.
     *
     * @param z input of length r, not modified (must not alias x)
     * @param x output of length n, overwritten
     */
    public void fromBasis(double[] z, double[] x) {
        VectorOps.multiply(basis, z, x);
    }

    /**
     * zs[t] = V^T xs[t] for t < count: {@link #toBasis} of a batch of vectors, V read once per few of
     * them; each result bit for bit what {@link #toBasis} gives.
     *
     * @param xs inputs of length n, not modified (none may alias an output)
     * @param zs outputs of length r, overwritten
     */
    public void toBasis(double[][] xs, double[][] zs, int count) {
        if (dimension < TRANSPOSED_FROM) {
            for (int t = 0; t < count; t++) {
                coordinates(xs[t], zs[t]);
            }
        } else if (count > 0) {                       // a round without polls builds no V^T
            VectorOps.multiply(transposed(), xs, zs, count);
        }
    }

    /**
     * xs[t] = V zs[t] for t < count: {@link #fromBasis} of a batch, bit for bit.
     *
     * @param zs inputs of length r, not modified (none may alias an output)
     * @param xs outputs of length n, overwritten
     */
    public void fromBasis(double[][] zs, double[][] xs, int count) {
        VectorOps.multiply(basis, zs, xs, count);
    }

    /** V as a dense n x r EJML matrix (a copy), for analysis and tests. */
    public DMatrixRMaj basisMatrix() {
        final DMatrixRMaj v = new DMatrixRMaj(dimension, rank());
        for (int j = 0; j < rank(); j++) {
            for (int i = 0; i < dimension; i++) {
                v.set(i, j, basis[j][i]);
            }
        }
        return v;
    }
}
