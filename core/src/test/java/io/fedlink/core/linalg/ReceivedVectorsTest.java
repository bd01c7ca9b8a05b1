package io.fedlink.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What a receiver refuses of a vector from a link, and how it says so: the first element that is not finite. */
class ReceivedVectorsTest {

    @Test
    void theRefusalNamesTheFirstElementThatIsNotFinite() {
        assertNull(ReceivedVectors.problem(new double[] {1, -0.0, Double.MAX_VALUE}, 3));
        assertEquals("element 2 of its vector is Infinity, not a finite number",
                ReceivedVectors.problem(new double[] {1, 2, Double.POSITIVE_INFINITY, Double.NaN}, 4));
        assertEquals("element 0 of its vector is NaN, not a finite number",
                ReceivedVectors.problem(new double[] {Double.NaN}, 1));
        assertEquals("its vector has length 2, expected 3", ReceivedVectors.problem(new double[2], 3));
        assertEquals("it carries no vector", ReceivedVectors.problem(null, 3));
    }
}
