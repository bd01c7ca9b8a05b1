package io.fedlink.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three partitions of a data file's rows: sizes, reproducibility from the seed, and their shape. */
class PartitionTest {

    private static int[] counts(int[] assignment, int clients) {
        final int[] counts = new int[clients];
        for (int k : assignment) {
            counts[k]++;
        }
        return counts;
    }

    @Test
    void iidGivesShardsOfEqualSizeFromTheSeed() {
        final int[] a = new Partition.Iid().assign(103, 10, null, 4L);
        for (int c : counts(a, 10)) {
            assertTrue(c == 10 || c == 11, "103 rows over 10 clients: 10 or 11 each");
        }
        assertArrayEquals(a, new Partition.Iid().assign(103, 10, null, 4L), "the same seed, the same partition");
        assertFalse(Arrays.equals(a, new Partition.Iid().assign(103, 10, null, 5L)), "another seed, another");
    }

    @Test
    void sortedGivesEachClientAContiguousRangeOfTheColumn() {
        final double[] key = {5, 1, 4, 1, 9, 2, 6, 5, 3};
        final int[] a = new Partition.Sorted("x").assign(9, 3, key, 1L);
        // ordered (ties by row): rows 1,3 (1), 5 (2), 8 (3), 2 (4), 0,7 (5), 6 (6), 4 (9)
        assertArrayEquals(new int[] {1, 0, 1, 0, 2, 0, 2, 2, 1}, a);
    }

    @Test
    void dirichletGivesEveryClientARowAndSmallAlphaFewTargetRanges() {
        final int rows = 500;
        final double[] target = new double[rows];
        for (int r = 0; r < rows; r++) {
            target[r] = Math.sin(r * 0.7) * 10;
        }
        final int[] skewed = new Partition.Dirichlet(0.05).assign(rows, 8, target, 2L);
        final int[] even = new Partition.Dirichlet(1000).assign(rows, 8, target, 2L);
        assertArrayEquals(skewed, new Partition.Dirichlet(0.05).assign(rows, 8, target, 2L));
        for (int c : counts(skewed, 8)) {
            assertTrue(c >= 1);
        }
        assertTrue(binsPerClient(skewed, target) < binsPerClient(even, target),
                "small ALPHA: each client holds rows of fewer target deciles");
        assertEquals(new Partition.Dirichlet(0.5), Partition.parse("dirichlet:0.5"));
        assertEquals("sorted:age", Partition.parse("sorted:age").describe());
        assertThrows(IllegalArgumentException.class, () -> Partition.parse("dirichlet:0"));
    }

    /** The mean number of target deciles a client's rows fall in. */
    private static double binsPerClient(int[] assignment, double[] target) {
        final double[] sorted = target.clone();
        Arrays.sort(sorted);
        double total = 0;
        for (int k = 0; k < 8; k++) {
            final Set<Integer> bins = new HashSet<>();
            for (int r = 0; r < target.length; r++) {
                if (assignment[r] == k) {
                    bins.add(Math.min(9, Arrays.binarySearch(sorted, target[r]) * 10 / target.length));
                }
            }
            total += bins.size();
        }
        return total / 8;
    }
}
