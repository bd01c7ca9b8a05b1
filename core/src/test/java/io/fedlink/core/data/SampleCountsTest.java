package io.fedlink.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sample counts d_k of SPEC section 6. */
class SampleCountsTest {

    @Test
    void paperCountsDescribeHundredClientsFrom51To90Totalling7038() {
        final int[] counts = assertInstanceOf(SampleCounts.PaperCounts.class, SampleCounts.paper()).counts();
        assertEquals(100, counts.length);
        assertEquals(SampleCounts.PAPER_CLIENTS, counts.length);
        assertEquals(51, Arrays.stream(counts).min().orElseThrow());
        assertEquals(90, Arrays.stream(counts).max().orElseThrow());
        assertEquals(7038, Arrays.stream(counts).sum());
    }

    @Test
    void paperCountsCopyTheArrayTheyAreBuiltFrom() {
        final SampleCounts.PaperCounts paper = (SampleCounts.PaperCounts) SampleCounts.paper();
        final int first = paper.count(0);
        final int[] original = {first};
        final SampleCounts.PaperCounts copy = new SampleCounts.PaperCounts(original);
        original[0] = first + 1;
        assertEquals(first, copy.count(0));
    }

    @Test
    void uniformRangeGivesEveryCountInRangeAndNothingElse() {
        final DataGenerator generator = new DataGenerator(4, 6, SampleCounts.uniform(2, 5));
        final int[] seen = new int[6];
        for (int k = 0; k < 400; k++) {
            final int d = generator.client(k).samples();
            assertTrue(d >= 2 && d <= 5, "d_" + k + " = " + d);
            seen[d]++;
        }
        // Each of the 4 values has probability 1/4: 100 expected of 400, sd 8.7; 5 sd below is 57.
        for (int d = 2; d <= 5; d++) {
            assertTrue(seen[d] > 57, "d = " + d + " drawn " + seen[d] + " times of 400");
        }
    }

    @Test
    void singletonRangeFixesTheCount() {
        final DataGenerator generator = new DataGenerator(4, 6, SampleCounts.uniform(7, 7));
        for (int k = 0; k < 20; k++) {
            assertEquals(7, generator.client(k).samples());
        }
    }

    @Test
    void emptyOrNonPositiveRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SampleCounts.uniform(0, 3));
        assertThrows(IllegalArgumentException.class, () -> SampleCounts.uniform(5, 4));
    }

    @Test
    void defaultIsPaperCountsForHundredClientsAndFiftyToNinetyOtherwise() {
        assertEquals("paper", SampleCounts.defaultFor(100).describe());
        assertEquals(SampleCounts.uniform(50, 90), SampleCounts.defaultFor(99));
        assertEquals("50-90", SampleCounts.defaultFor(10).describe());
    }
}
