package io.fedlink.core.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The design answers, each checked by evaluating the prediction at the answer and one step beyond. */
class RerceDesignTest {

    private final RerceDesign design = new RerceDesign(SmallScaleProblem.get(), SmallScaleProblem.ROUNDS);

    @ParameterizedTest(name = "target {0} dB at variance {1}")
    @CsvSource({"-15.0, 6.25e-4", "-22.0, 6.25e-4", "-24.5, 6.25e-4", "-10.0, 0.01", "-45.0, 0.0"})
    void smallestSelectionMeetsTheTargetAndOneFewerDoesNot(double targetDb, double variance) {
        final LinkVariances links = SmallScaleProblem.links(variance, variance);
        final OptionalInt answer = design.smallestSelection(targetDb, links);
        assertTrue(answer.isPresent());
        final int selected = answer.getAsInt();
        assertTrue(design.steadyStateDb(selected, links) <= targetDb);
        if (selected > 1) {
            assertTrue(design.steadyStateDb(selected - 1, links) > targetDb);
        }
    }

    @Test
    void smallestSelectionIsEmptyWhenEvenFullParticipationMisses() {
        assertTrue(design.smallestSelection(-30.0, SmallScaleProblem.links(1e-2, 1e-2)).isEmpty());
    }

    @ParameterizedTest(name = "C = {0}, target {1} dB")
    @CsvSource({"2, -10.0", "3, -15.0", "3, -30.0", "6, -20.0", "6, -40.0"})
    void largestLinkVarianceMeetsTheTargetAndOneStepBeyondDoesNot(int selected, double targetDb) {
        final OptionalDouble answer = design.largestLinkVariance(selected, targetDb);
        assertTrue(answer.isPresent());
        final double variance = answer.getAsDouble();
        assertEquals(targetDb, design.steadyStateDb(selected, SmallScaleProblem.links(variance, variance)), 1e-6);
        final double below = variance * (1.0 - 1e-6);
        final double beyond = variance * (1.0 + 1e-6);
        assertTrue(design.steadyStateDb(selected, SmallScaleProblem.links(below, below)) < targetDb);
        assertTrue(design.steadyStateDb(selected, SmallScaleProblem.links(beyond, beyond)) > targetDb);
    }

    @Test
    void largestScaleOfAnUplinkOnlyBudget() {
        final LinkVariances shape = SmallScaleProblem.links(1e-2, 0.0);
        final double factor = design.largestLinkScale(4, shape, -20.0).orElseThrow();
        assertEquals(-20.0, design.steadyStateDb(4, shape.scaled(factor)), 1e-6);
        assertTrue(design.steadyStateDb(4, shape.scaled(factor * (1.0 + 1e-6))) > -20.0);
    }

    @Test
    void largestLinkVarianceIsEmptyWhenNoiselessLinksMiss() {
        assertTrue(design.largestLinkVariance(2, -60.0).isEmpty());
    }
}
