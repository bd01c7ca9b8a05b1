package io.fedlink.actors;

import io.fedlink.core.engine.SeriesSpec;

/**
 * Hears every round of every trial as the metrics stream carries it (the dashboard's tap). An engine
 * given one adds a branch to each series' stream that calls it; an engine given none has no branch.
 *
 * <p>It is called on the stream's own thread ({@code fedlink.metrics-dispatcher}), one round at a
 * time, and the stream waits for it: it must return at once and never block (hand anything slow to
 * another thread). It sees the numbers after they are measured and can change none of them.
 */
@FunctionalInterface
public interface RoundObserver {

    /** Round {@code metrics.round()} of trial {@code metrics.trial()} of {@code series} has closed. */
    void roundClosed(SeriesSpec series, RoundMetrics metrics);
}
