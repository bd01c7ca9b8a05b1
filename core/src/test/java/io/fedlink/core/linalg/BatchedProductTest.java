package io.fedlink.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The batched product of one matrix with many vectors gives every output element the bits of the
 * one-vector product (the determinism contract: engines that batch and engines that do not agree),
 * for every shape the rules use: square P_k, the L x r and r x L eigenbases, lengths below, at and
 * between the JIT's vector widths, odd and even numbers of vectors.
 */
class BatchedProductTest {

    private static final int[][] SHAPES = {
        {128, 128}, {128, 70}, {70, 128}, {6, 6}, {3, 5}, {8, 8}, {9, 17}, {33, 31}, {64, 51}, {127, 129}, {16, 2},
    };

    @Test
    void batchedProductsAreBitIdenticalToOneVectorProducts() {
        final Random random = new Random(7);
        for (int[] shape : SHAPES) {
            final int m = shape[0];
            final int n = shape[1];
            final double[][] columns = columns(random, m, n);
            for (int count = 0; count <= 8; count++) {
                final double[][] xs = vectors(random, count + 1, n);       // one more than used: must stay untouched
                final double[][] expected = new double[count][m];
                for (int t = 0; t < count; t++) {
                    VectorOps.multiply(columns, xs[t], expected[t]);
                }
                final double[][] batched = filled(count + 1, m);
                VectorOps.multiply(columns, xs, batched, count);
                for (int t = 0; t < count; t++) {
                    for (int i = 0; i < m; i++) {
                        assertEquals(Double.doubleToRawLongBits(expected[t][i]), Double.doubleToRawLongBits(batched[t][i]),
                                m + "x" + n + ", " + count + " vectors, vector " + t + ", row " + i);
                    }
                }
                assertEquals(-1.0, batched[count][0], "an output beyond count was written");
            }
        }
    }

    @Test
    void signedZerosAndCancellationsKeepTheirBits() {
        // Products that cancel exactly, and columns of -0.0: the sums must start from +0 as the
        // one-vector product does, whatever the tile.
        final int m = 37;
        final int n = 12;
        final double[][] columns = new double[n][m];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                columns[j][i] = (i + j) % 3 == 0 ? -0.0 : (j % 2 == 0 ? 1e300 : -1e300) * (i + 1);
            }
        }
        final double[][] xs = {new double[n], new double[n], new double[n], new double[n]};
        for (int j = 0; j < n; j++) {
            xs[0][j] = 1.0;
            xs[1][j] = -0.0;
            xs[2][j] = j % 2 == 0 ? 1e10 : 1.0;
            xs[3][j] = Double.MIN_VALUE;
        }
        final double[][] expected = new double[4][m];
        final double[][] batched = new double[4][m];
        for (int t = 0; t < 4; t++) {
            VectorOps.multiply(columns, xs[t], expected[t]);
        }
        VectorOps.multiply(columns, xs, batched, 4);
        for (int t = 0; t < 4; t++) {
            for (int i = 0; i < m; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[t][i]), Double.doubleToRawLongBits(batched[t][i]),
                        "vector " + t + ", row " + i);
            }
        }
    }

    @Test
    void batchedProductsAgreeWithEjml() {
        final Random random = new Random(11);
        final int m = 70;
        final int n = 128;
        final double[][] columns = columns(random, m, n);
        final double[][] xs = vectors(random, 5, n);
        final double[][] ys = new double[5][m];
        VectorOps.multiply(columns, xs, ys, 5);
        final DMatrixRMaj a = new DMatrixRMaj(m, n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                a.set(i, j, columns[j][i]);
            }
        }
        for (int t = 0; t < 5; t++) {
            final DMatrixRMaj y = new DMatrixRMaj(m, 1);
            CommonOps_DDRM.mult(a, new DMatrixRMaj(n, 1, true, xs[t]), y);
            for (int i = 0; i < m; i++) {
                // sums of 128 products of numbers in [-1, 1]: a few ulp of the sum's scale apart
                assertEquals(y.get(i), ys[t][i], 1e-12, "vector " + t + ", row " + i);
            }
        }
    }

    private static double[][] columns(Random random, int m, int n) {
        final double[][] columns = new double[n][m];
        for (double[] column : columns) {
            for (int i = 0; i < m; i++) {
                column[i] = random.nextDouble() * 2 - 1;
            }
        }
        return columns;
    }

    private static double[][] vectors(Random random, int count, int length) {
        final double[][] xs = new double[count][length];
        for (double[] x : xs) {
            for (int j = 0; j < length; j++) {
                x[j] = random.nextGaussian();
            }
        }
        return xs;
    }

    private static double[][] filled(int count, int length) {
        final double[][] ys = new double[count][length];
        for (double[] y : ys) {
            java.util.Arrays.fill(y, -1.0);
        }
        return ys;
    }
}
