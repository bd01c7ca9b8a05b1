package io.fedlink.core.theory;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A symmetric second-moment matrix R = E[e e^T] of a block state e = col{e_0, ..., e_{m-1}} with
 * L x L blocks, held block by block so that the theory never forms or multiplies the full matrix.
 * Both triangles are stored (block (b, a) is the transpose of block (a, b)) so that reads need no
 * transposition; {@link #mirrorUpperAndSymmetrise()} restores the symmetry after a step that wrote
 * the upper triangle only.
 */
final class BlockMoment {

    private final int blocks;
    private final int dimension;
    private final DMatrixRMaj[][] data;

    BlockMoment(int blocks, int dimension) {
        this.blocks = blocks;
        this.dimension = dimension;
        this.data = new DMatrixRMaj[blocks][blocks];
        for (int a = 0; a < blocks; a++) {
            for (int b = 0; b < blocks; b++) {
                data[a][b] = new DMatrixRMaj(dimension, dimension);
            }
        }
    }

    /**
     * Runs a moment recursion for {@code rounds} rounds from {@code start} (which becomes one of the
     * two buffers it alternates between) and returns metric(R_n) after each round, index n-1 for
     * round n.
     *
     * @param step   writes the next moment into its second argument from its first
     * @param metric the number recorded after each round (an NMSE)
     */
    static double[] curve(BlockMoment start, int rounds, java.util.function.BiConsumer<BlockMoment, BlockMoment> step,
                          java.util.function.ToDoubleFunction<BlockMoment> metric) {
        return curve(start, rounds, step, metric, (curve, n) -> false);
    }

    /**
     * As above, stopping early after the first round n (0-based) for which {@code stop} holds of the
     * curve so far; the curve returned then ends with that round.
     */
    static double[] curve(BlockMoment start, int rounds, java.util.function.BiConsumer<BlockMoment, BlockMoment> step,
                          java.util.function.ToDoubleFunction<BlockMoment> metric,
                          java.util.function.BiPredicate<double[], Integer> stop) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        final double[] curve = new double[rounds];
        BlockMoment current = start;
        BlockMoment next = new BlockMoment(start.blocks, start.dimension);
        for (int n = 0; n < rounds; n++) {
            step.accept(current, next);
            final BlockMoment swap = current;
            current = next;
            next = swap;
            curve[n] = metric.applyAsDouble(current);
            if (stop.test(curve, n)) {
                return java.util.Arrays.copyOf(curve, n + 1);
            }
        }
        return curve;
    }

    /** Number of blocks m along each side. */
    int blocks() {
        return blocks;
    }

    /** L. */
    int dimension() {
        return dimension;
    }

    /** Block (a, b), E[e_a e_b^T]; live, callers may write into it. */
    DMatrixRMaj block(int a, int b) {
        return data[a][b];
    }

    /** Sum of the traces of the diagonal blocks 0..count-1. */
    double traceOfFirst(int count) {
        double sum = 0.0;
        for (int a = 0; a < count; a++) {
            sum += CommonOps_DDRM.trace(data[a][a]);
        }
        return sum;
    }

    /**
     * Copies every block (a, b) with a < b to (b, a) transposed and replaces every diagonal block by
     * its symmetric part: the skew part that rounding leaves behind is not a second moment and would
     * grow over hundreds of rounds (SPEC 7.2).
     */
    void mirrorUpperAndSymmetrise() {
        for (int a = 0; a < blocks; a++) {
            final DMatrixRMaj diagonal = data[a][a];
            for (int i = 0; i < dimension; i++) {
                for (int j = i + 1; j < dimension; j++) {
                    final double mean = 0.5 * (diagonal.unsafe_get(i, j) + diagonal.unsafe_get(j, i));
                    diagonal.unsafe_set(i, j, mean);
                    diagonal.unsafe_set(j, i, mean);
                }
            }
            for (int b = a + 1; b < blocks; b++) {
                CommonOps_DDRM.transpose(data[a][b], data[b][a]);
            }
        }
    }

    /** The full (m L) x (m L) matrix, for tests and small cross-checks. */
    DMatrixRMaj toDense() {
        final DMatrixRMaj dense = new DMatrixRMaj(blocks * dimension, blocks * dimension);
        for (int a = 0; a < blocks; a++) {
            for (int b = 0; b < blocks; b++) {
                CommonOps_DDRM.insert(data[a][b], dense, a * dimension, b * dimension);
            }
        }
        return dense;
    }
}
