package io.fedlink.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ways into an eigenbasis agree bit for bit with the column-ordered product over V^T
 * ({@link VectorOps#multiply}, V^T laid out by the test): {@link Eigenbasis#coordinates} (dot products
 * over V's columns) and {@link Eigenbasis#toBasis}, one vector or a batch, on both sides of the size
 * from which it keeps a V^T. A client's start and its polls go through different ones, so any
 * difference would move the curves.
 */
class EigenbasisTest {

    @Test
    void coordinatesAreBitForBitTheProductOverTheTransposedLayout() {
        final Random random = new Random(3);
        final int[][] shapes = {{16, 5}, {16, 12}, {16, 16}, {128, 70}, {128, 128}, {7, 1}, {31, 9},
            {Eigenbasis.TRANSPOSED_FROM, 20}, {33, 31}};
        for (int[] shape : shapes) {
            final int n = shape[0];
            final int r = shape[1];
            final double[][] vectors = new double[r][n];
            for (double[] v : vectors) {
                for (int i = 0; i < n; i++) {
                    v[i] = random.nextGaussian() / Math.sqrt(n);
                }
            }
            final Eigenbasis basis = Eigenbasis.of(n, vectors, new double[r]);
            final double[][] xs = new double[5][n];
            for (double[] x : xs) {
                for (int i = 0; i < n; i++) {
                    x[i] = random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6);
                }
            }
            xs[4] = new double[n];                        // +0 and -0 alternating
            for (int i = 0; i < n; i += 2) {
                xs[4][i] = -0.0;
            }
            // V^T by columns, laid out here: the column-ordered product over it is the reference, whichever
            // way the basis itself computes at this n (dot products below TRANSPOSED_FROM, V^T above).
            final double[][] transposed = new double[n][r];
            for (int j = 0; j < r; j++) {
                for (int i = 0; i < n; i++) {
                    transposed[i][j] = vectors[j][i];
                }
            }
            final double[][] batched = new double[xs.length][r];
            basis.toBasis(xs, batched, xs.length);
            for (int t = 0; t < xs.length; t++) {
                final double[] product = new double[r];
                final double[] once = new double[r];
                final double[] single = new double[r];
                VectorOps.multiply(transposed, xs[t], product);
                basis.coordinates(xs[t], once);
                basis.toBasis(xs[t], single);
                for (int j = 0; j < r; j++) {
                    final String where = n + "x" + r + ", vector " + t + ", coordinate " + j;
                    final long expected = Double.doubleToRawLongBits(product[j]);
                    assertEquals(expected, Double.doubleToRawLongBits(once[j]), where);
                    assertEquals(expected, Double.doubleToRawLongBits(single[j]), where);
                    assertEquals(expected, Double.doubleToRawLongBits(batched[t][j]), where);
                }
            }
        }
    }

    @Test
    void sumsOfNegativeZerosStartFromPlusZero() {
        // Every term -0 (a positive basis times x = -0): a sum started from +0 gives +0, one started
        // from the first term would give -0. Both ways must give +0, as the product does.
        final int n = 6;
        final double[][] vectors = {{1, 2, 3, 4, 5, 6}, {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}};
        final Eigenbasis basis = Eigenbasis.of(n, vectors, new double[] {0.1, 0.2});
        final double[] x = {-0.0, -0.0, -0.0, -0.0, -0.0, -0.0};
        final double[] once = {Double.NaN, Double.NaN};
        final double[] product = {Double.NaN, Double.NaN};
        basis.coordinates(x, once);
        basis.toBasis(x, product);
        for (int j = 0; j < 2; j++) {
            assertEquals(0L, Double.doubleToRawLongBits(once[j]), "coordinate " + j + " is +0");
            assertEquals(0L, Double.doubleToRawLongBits(product[j]), "coordinate " + j + " is +0");
        }
    }

    @Test
    void coordinatesRecoverAVectorBuiltFromThem() {
        // An orthonormal basis (signed unit vectors): V^T V z = z exactly, an independent check of the sums.
        final int n = 9;
        final double[][] vectors = new double[4][n];
        vectors[0][3] = 1.0;
        vectors[1][0] = -1.0;
        vectors[2][8] = 1.0;
        vectors[3][5] = -1.0;
        final Eigenbasis basis = Eigenbasis.of(n, vectors, new double[] {0.1, 0.2, 0.3, 0.4});
        final double[] z = {2.5, -1.25, 7.0, 0.5};
        final double[] x = new double[n];
        basis.fromBasis(z, x);
        final double[] back = new double[4];
        basis.coordinates(x, back);
        assertArrayEquals(z, back, 0.0);
    }
}
