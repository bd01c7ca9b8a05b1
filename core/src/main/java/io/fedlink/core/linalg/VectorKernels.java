package io.fedlink.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The batched product of {@link VectorOps#multiply(double[][], double[][], double[][], int)} on the JDK's
 * Vector API: register tiles of 4 vectors of rows by 3 products, so that each column of A is loaded once
 * per tile and used for 12 multiplications, and A (by columns) is read once per 3 products instead of
 * once per product. Each output element is one lane of one accumulator, which starts at +0 and adds the
 * terms A(i, j) x(j) for j = 0..n-1 in order, each a multiplication then an addition (never a fused
 * multiply-add): exactly the sum {@link VectorOps#multiply(double[][], double[], double[])} forms, bit for
 * bit. Loaded only when the {@code jdk.incubator.vector} module is present ({@link io.fedlink.core.Simd}).
 *
 * <p>Generated shape (one method per tile size, small enough for C2 to keep every accumulator in a
 * register); edit with care: the order of the additions is the contract.
 */
public final class VectorKernels {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private VectorKernels() {
    }

    /** True when the preferred vectors hold at least 4 doubles (256 bits): below that, the scalar loops win. */
    public static boolean usable() {
        return S.vectorBitSize() >= 256;
    }

    /** The width of the vectors in use, in bits. */
    public static int bits() {
        return S.vectorBitSize();
    }

    /** ys[t] = A xs[t] for t < count (see {@link VectorOps#multiply(double[][], double[][], double[][], int)}). */
    static void multiply(double[][] columns, double[][] xs, double[][] ys, int count) {
        if (count == 0) {
            return;
        }
        final int n = xs[0].length;
        final int m = ys[0].length;
        if (m < V) {
            for (int t = 0; t < count; t++) {
                VectorOps.multiply(columns, xs[t], ys[t]);
            }
            return;
        }
        int t = 0;
        for (; t + 3 <= count; t += 3) {
            rows3(columns, n, m, xs[t], xs[t + 1], xs[t + 2], ys[t], ys[t + 1], ys[t + 2]);
        }
        if (count - t == 2) {
            rows2(columns, n, m, xs[t], xs[t + 1], ys[t], ys[t + 1]);
        } else if (count - t == 1) {
            rows1(columns, n, m, xs[t], ys[t]);
        }
    }

    /** Every row of 3 products, m >= V: tiles of 4V rows, then V rows, then one V-row tile ending at m. */
    private static void rows3(double[][] columns, int n, int m, double[] x0, double[] x1, double[] x2, double[] y0,
                              double[] y1, double[] y2) {
        int i = 0;
        for (; i + 4 * V <= m; i += 4 * V) {
            tile4x3(columns, n, i, x0, x1, x2, y0, y1, y2);
        }
        for (; i + V <= m; i += V) {
            tile1x3(columns, n, i, x0, x1, x2, y0, y1, y2);
        }
        if (i < m) {
            // The last rows, as a full tile that ends at m: the rows it shares with the tile before get
            // the same sums again (same terms, same order), so they are overwritten with equal values.
            tile1x3(columns, n, m - V, x0, x1, x2, y0, y1, y2);
        }
    }

    /** Every row of 2 products, m >= V: tiles of 4V rows, then V rows, then one V-row tile ending at m. */
    private static void rows2(double[][] columns, int n, int m, double[] x0, double[] x1, double[] y0, double[] y1) {
        int i = 0;
        for (; i + 4 * V <= m; i += 4 * V) {
            tile4x2(columns, n, i, x0, x1, y0, y1);
        }
        for (; i + V <= m; i += V) {
            tile1x2(columns, n, i, x0, x1, y0, y1);
        }
        if (i < m) {
            // The last rows, as a full tile that ends at m: the rows it shares with the tile before get
            // the same sums again (same terms, same order), so they are overwritten with equal values.
            tile1x2(columns, n, m - V, x0, x1, y0, y1);
        }
    }

    /** Every row of 1 product, m >= V: tiles of 4V rows, then V rows, then one V-row tile ending at m. */
    private static void rows1(double[][] columns, int n, int m, double[] x0, double[] y0) {
        int i = 0;
        for (; i + 4 * V <= m; i += 4 * V) {
            tile4x1(columns, n, i, x0, y0);
        }
        for (; i + V <= m; i += V) {
            tile1x1(columns, n, i, x0, y0);
        }
        if (i < m) {
            // The last rows, as a full tile that ends at m: the rows it shares with the tile before get
            // the same sums again (same terms, same order), so they are overwritten with equal values.
            tile1x1(columns, n, m - V, x0, y0);
        }
    }

    /** Rows i..i+4V-1 of 3 products: 12 accumulators, each summed over j = 0..n-1 in order. */
    private static void tile4x3(double[][] columns, int n, int i, double[] x0, double[] x1, double[] x2, double[] y0,
                                double[] y1, double[] y2) {
        DoubleVector a00 = DoubleVector.zero(S);
        DoubleVector a01 = DoubleVector.zero(S);
        DoubleVector a02 = DoubleVector.zero(S);
        DoubleVector a03 = DoubleVector.zero(S);
        DoubleVector a10 = DoubleVector.zero(S);
        DoubleVector a11 = DoubleVector.zero(S);
        DoubleVector a12 = DoubleVector.zero(S);
        DoubleVector a13 = DoubleVector.zero(S);
        DoubleVector a20 = DoubleVector.zero(S);
        DoubleVector a21 = DoubleVector.zero(S);
        DoubleVector a22 = DoubleVector.zero(S);
        DoubleVector a23 = DoubleVector.zero(S);
        for (int j = 0; j < n; j++) {
            final double[] c = columns[j];
            final DoubleVector p0 = DoubleVector.fromArray(S, c, i);
            final DoubleVector p1 = DoubleVector.fromArray(S, c, i + 1 * V);
            final DoubleVector p2 = DoubleVector.fromArray(S, c, i + 2 * V);
            final DoubleVector p3 = DoubleVector.fromArray(S, c, i + 3 * V);
            final double v0 = x0[j];
            final double v1 = x1[j];
            final double v2 = x2[j];
            a00 = a00.add(p0.mul(v0)); a01 = a01.add(p1.mul(v0)); a02 = a02.add(p2.mul(v0)); a03 = a03.add(p3.mul(v0));
            a10 = a10.add(p0.mul(v1)); a11 = a11.add(p1.mul(v1)); a12 = a12.add(p2.mul(v1)); a13 = a13.add(p3.mul(v1));
            a20 = a20.add(p0.mul(v2)); a21 = a21.add(p1.mul(v2)); a22 = a22.add(p2.mul(v2)); a23 = a23.add(p3.mul(v2));
        }
        a00.intoArray(y0, i);
        a01.intoArray(y0, i + 1 * V);
        a02.intoArray(y0, i + 2 * V);
        a03.intoArray(y0, i + 3 * V);
        a10.intoArray(y1, i);
        a11.intoArray(y1, i + 1 * V);
        a12.intoArray(y1, i + 2 * V);
        a13.intoArray(y1, i + 3 * V);
        a20.intoArray(y2, i);
        a21.intoArray(y2, i + 1 * V);
        a22.intoArray(y2, i + 2 * V);
        a23.intoArray(y2, i + 3 * V);
    }

    /** Rows i..i+4V-1 of 2 products: 8 accumulators, each summed over j = 0..n-1 in order. */
    private static void tile4x2(double[][] columns, int n, int i, double[] x0, double[] x1, double[] y0, double[] y1) {
        DoubleVector a00 = DoubleVector.zero(S);
        DoubleVector a01 = DoubleVector.zero(S);
        DoubleVector a02 = DoubleVector.zero(S);
        DoubleVector a03 = DoubleVector.zero(S);
        DoubleVector a10 = DoubleVector.zero(S);
        DoubleVector a11 = DoubleVector.zero(S);
        DoubleVector a12 = DoubleVector.zero(S);
        DoubleVector a13 = DoubleVector.zero(S);
        for (int j = 0; j < n; j++) {
            final double[] c = columns[j];
            final DoubleVector p0 = DoubleVector.fromArray(S, c, i);
            final DoubleVector p1 = DoubleVector.fromArray(S, c, i + 1 * V);
            final DoubleVector p2 = DoubleVector.fromArray(S, c, i + 2 * V);
            final DoubleVector p3 = DoubleVector.fromArray(S, c, i + 3 * V);
            final double v0 = x0[j];
            final double v1 = x1[j];
            a00 = a00.add(p0.mul(v0)); a01 = a01.add(p1.mul(v0)); a02 = a02.add(p2.mul(v0)); a03 = a03.add(p3.mul(v0));
            a10 = a10.add(p0.mul(v1)); a11 = a11.add(p1.mul(v1)); a12 = a12.add(p2.mul(v1)); a13 = a13.add(p3.mul(v1));
        }
        a00.intoArray(y0, i);
        a01.intoArray(y0, i + 1 * V);
        a02.intoArray(y0, i + 2 * V);
        a03.intoArray(y0, i + 3 * V);
        a10.intoArray(y1, i);
        a11.intoArray(y1, i + 1 * V);
        a12.intoArray(y1, i + 2 * V);
        a13.intoArray(y1, i + 3 * V);
    }

    /** Rows i..i+4V-1 of 1 product: 4 accumulators, each summed over j = 0..n-1 in order. */
    private static void tile4x1(double[][] columns, int n, int i, double[] x0, double[] y0) {
        DoubleVector a00 = DoubleVector.zero(S);
        DoubleVector a01 = DoubleVector.zero(S);
        DoubleVector a02 = DoubleVector.zero(S);
        DoubleVector a03 = DoubleVector.zero(S);
        for (int j = 0; j < n; j++) {
            final double[] c = columns[j];
            final DoubleVector p0 = DoubleVector.fromArray(S, c, i);
            final DoubleVector p1 = DoubleVector.fromArray(S, c, i + 1 * V);
            final DoubleVector p2 = DoubleVector.fromArray(S, c, i + 2 * V);
            final DoubleVector p3 = DoubleVector.fromArray(S, c, i + 3 * V);
            final double v0 = x0[j];
            a00 = a00.add(p0.mul(v0)); a01 = a01.add(p1.mul(v0)); a02 = a02.add(p2.mul(v0)); a03 = a03.add(p3.mul(v0));
        }
        a00.intoArray(y0, i);
        a01.intoArray(y0, i + 1 * V);
        a02.intoArray(y0, i + 2 * V);
        a03.intoArray(y0, i + 3 * V);
    }

    /** Rows i..i+1V-1 of 3 products: 3 accumulators, each summed over j = 0..n-1 in order. */
    private static void tile1x3(double[][] columns, int n, int i, double[] x0, double[] x1, double[] x2, double[] y0,
                                double[] y1, double[] y2) {
        DoubleVector a00 = DoubleVector.zero(S);
        DoubleVector a10 = DoubleVector.zero(S);
        DoubleVector a20 = DoubleVector.zero(S);
        for (int j = 0; j < n; j++) {
            final double[] c = columns[j];
            final DoubleVector p0 = DoubleVector.fromArray(S, c, i);
            final double v0 = x0[j];
            final double v1 = x1[j];
            final double v2 = x2[j];
            a00 = a00.add(p0.mul(v0));
            a10 = a10.add(p0.mul(v1));
            a20 = a20.add(p0.mul(v2));
        }
        a00.intoArray(y0, i);
        a10.intoArray(y1, i);
        a20.intoArray(y2, i);
    }

    /** Rows i..i+1V-1 of 2 products: 2 accumulators, each summed over j = 0..n-1 in order. */
    private static void tile1x2(double[][] columns, int n, int i, double[] x0, double[] x1, double[] y0, double[] y1) {
        DoubleVector a00 = DoubleVector.zero(S);
        DoubleVector a10 = DoubleVector.zero(S);
        for (int j = 0; j < n; j++) {
            final double[] c = columns[j];
            final DoubleVector p0 = DoubleVector.fromArray(S, c, i);
            final double v0 = x0[j];
            final double v1 = x1[j];
            a00 = a00.add(p0.mul(v0));
            a10 = a10.add(p0.mul(v1));
        }
        a00.intoArray(y0, i);
        a10.intoArray(y1, i);
    }

    /** Rows i..i+1V-1 of 1 product: 1 accumulators, each summed over j = 0..n-1 in order. */
    private static void tile1x1(double[][] columns, int n, int i, double[] x0, double[] y0) {
        DoubleVector a00 = DoubleVector.zero(S);
        for (int j = 0; j < n; j++) {
            final double[] c = columns[j];
            final DoubleVector p0 = DoubleVector.fromArray(S, c, i);
            final double v0 = x0[j];
            a00 = a00.add(p0.mul(v0));
        }
        a00.intoArray(y0, i);
    }
}
