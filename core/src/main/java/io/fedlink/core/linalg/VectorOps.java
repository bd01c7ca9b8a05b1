package io.fedlink.core.linalg;

import java.util.Arrays;

/**
 * The few dense kernels of the hot path, on plain arrays, allocation-free; and {@link #zeros}, for the
 * arrays of vectors those paths do allocate, in the form the JIT compiles best.
 *
 * <p>Matrices are held as arrays of columns ({@code columns[j][i]} is entry (i, j)), so that
 * the matrix-vector product runs as axpy operations over whole arrays: the form the JIT's SuperWord
 * pass vectorises (a column addressed by an offset into one long array is not vectorised by Java
 * 17's C2, and runs at less than half the speed). Every output element still accumulates its terms
 * in the fixed order j = 0..n-1, with no fused multiply-add, so the result does not depend on
 * vectorisation or unrolling: the determinism contract holds bit for bit.
 */
public final class VectorOps {

    private VectorOps() {
    }

    /**
     * {@code count} zero vectors of length {@code length}, as {@code new double[count][length]} gives them.
     * Java 17's C2 compiles that expression to a call into the VM (multianewarray) instead of allocating in
     * the thread's buffer: on the actor engine's per-poll paths, 0.55 s of CPU in `paper-all`
     * (docs/performance.md).
     */
    public static double[][] zeros(int count, int length) {
        final double[][] vectors = new double[count][];
        for (int i = 0; i < count; i++) {
            vectors[i] = new double[length];
        }
        return vectors;
    }

    /**
     * y = A x for an m x n matrix A given by its n columns of length m (square or not).
     *
     * @param columns the n columns of A, each of length m = y.length; not modified
     * @param x       input vector of length n, not modified (must not alias y)
     * @param y       output vector of length m, overwritten
     */
    public static void multiply(double[][] columns, double[] x, double[] y) {
        final int n = x.length;
        final int m = y.length;
        Arrays.fill(y, 0, m, 0.0);
        int j = 0;
        // Four columns per pass halve the loads and stores of y; the additions stay in column order.
        for (; j + 3 < n; j += 4) {
            final double[] c0 = columns[j];
            final double[] c1 = columns[j + 1];
            final double[] c2 = columns[j + 2];
            final double[] c3 = columns[j + 3];
            final double x0 = x[j];
            final double x1 = x[j + 1];
            final double x2 = x[j + 2];
            final double x3 = x[j + 3];
            for (int i = 0; i < m; i++) {
                y[i] = (((y[i] + c0[i] * x0) + c1[i] * x1) + c2[i] * x2) + c3[i] * x3;
            }
        }
        for (; j < n; j++) {
            final double[] c = columns[j];
            final double xj = x[j];
            for (int i = 0; i < m; i++) {
                y[i] += c[i] * xj;
            }
        }
    }

    /**
     * ys[t] = A xs[t] for t = 0..count-1: the products of one matrix with a batch of vectors (one per
     * trial of a block), each output element bit for bit what {@link #multiply(double[][], double[], double[])}
     * gives it (the terms j = 0..n-1 added in order to +0, each a product then a sum, never fused). A
     * is read once per two vectors instead of once per vector, four columns at a time, in a loop that
     * C2 vectorises: about three times the one-vector product's rate once a few vectors share the pass
     * (docs/performance.md, "Trials in blocks").
     *
     * @param columns the n columns of A, each of length at least m; not modified
     * @param xs      input vectors, xs[t] of length n; not modified (none may alias an output)
     * @param ys      output vectors, ys[t] of length m, overwritten
     * @param count   how many of xs and ys to use (their first {@code count})
     */
    public static void multiply(double[][] columns, double[][] xs, double[][] ys, int count) {
        int t = 0;
        for (; t + 1 < count; t += 2) {
            multiplyPair(columns, xs[t], xs[t + 1], ys[t], ys[t + 1]);
        }
        if (t < count) {
            multiply(columns, xs[t], ys[t]);
        }
    }

    private static void multiplyPair(double[][] columns, double[] a, double[] b, double[] ya, double[] yb) {
        final int n = a.length;
        final int m = ya.length;
        Arrays.fill(ya, 0, m, 0.0);
        Arrays.fill(yb, 0, m, 0.0);
        int j = 0;
        for (; j + 3 < n; j += 4) {
            final double[] c0 = columns[j];
            final double[] c1 = columns[j + 1];
            final double[] c2 = columns[j + 2];
            final double[] c3 = columns[j + 3];
            final double a0 = a[j];
            final double a1 = a[j + 1];
            final double a2 = a[j + 2];
            final double a3 = a[j + 3];
            final double b0 = b[j];
            final double b1 = b[j + 1];
            final double b2 = b[j + 2];
            final double b3 = b[j + 3];
            for (int i = 0; i < m; i++) {
                final double p0 = c0[i];
                final double p1 = c1[i];
                final double p2 = c2[i];
                final double p3 = c3[i];
                ya[i] = (((ya[i] + p0 * a0) + p1 * a1) + p2 * a2) + p3 * a3;
                yb[i] = (((yb[i] + p0 * b0) + p1 * b1) + p2 * b2) + p3 * b3;
            }
        }
        for (; j < n; j++) {
            final double[] c = columns[j];
            final double aj = a[j];
            final double bj = b[j];
            for (int i = 0; i < m; i++) {
                ya[i] += c[i] * aj;
                yb[i] += c[i] * bj;
            }
        }
    }

    /**
     * Squared Euclidean distance ||a - b||^2. Four partial sums (over i = 0, 1, 2, 3 mod 4) added
     * as (s0 + s1) + (s2 + s3): a fixed order, so the result is reproducible bit for bit, with four
     * independent dependency chains instead of one (the metric takes one of these per client per
     * round, and one chain of n additions is latency-bound).
     */
    public static double squaredDistance(double[] a, double[] b) {
        final int n = a.length;
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            final double d0 = a[i] - b[i];
            final double d1 = a[i + 1] - b[i + 1];
            final double d2 = a[i + 2] - b[i + 2];
            final double d3 = a[i + 3] - b[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            final double d = a[i] - b[i];
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Squared Euclidean norm ||a||^2, summed in index order. */
    public static double squaredNorm(double[] a) {
        double sum = 0.0;
        for (double v : a) {
            sum += v * v;
        }
        return sum;
    }
}
