package io.fedlink.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two ways into an eigenbasis agree bit for bit: {@link Eigenbasis#coordinates} (dot products over
 * V's columns, for one-off changes of basis, no V^T built) and {@link Eigenbasis#toBasis} (the
 * column-ordered product over V^T, built on first use, one vector or a batch). A client's start and its
 * polls go through different ones, so any difference would move the curves.
 */
class EigenbasisTest {

    @Test
    void coordinatesAreBitForBitTheProductOverTheTransposedLayout() {
        final Random random = new Random(3);
        final int[][] shapes = {{16, 5}, {16, 12}, {16, 16}, {128, 70}, {128, 128}, {7, 1}, {33, 31}};
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
            xs[4] = new double[n];                        // all +0: the sums must stay +0
            for (int i = 0; i < n; i += 2) {
                xs[4][i] = -0.0;
            }
            final double[][] batched = new double[xs.length][r];
            basis.toBasis(xs, batched, xs.length);
            for (int t = 0; t < xs.length; t++) {
                final double[] once = new double[r];
                final double[] single = new double[r];
                basis.coordinates(xs[t], once);
                basis.toBasis(xs[t], single);
                for (int j = 0; j < r; j++) {
                    final String where = n + "x" + r + ", vector " + t + ", coordinate " + j;
                    assertEquals(Double.doubleToRawLongBits(single[j]), Double.doubleToRawLongBits(once[j]), where);
                    assertEquals(Double.doubleToRawLongBits(batched[t][j]), Double.doubleToRawLongBits(once[j]), where);
                }
            }
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
