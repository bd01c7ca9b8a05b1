package io.fedlink.actors;

/** Where a monitor delivers its measurements: the entry of the metrics stream. Thread-safe. */
@FunctionalInterface
public interface MetricsOutlet {

    /**
     * @return true if taken; false if the outlet is full for now and the caller should retry later
     * @throws IllegalStateException if the outlet is closed or its stream has failed: nothing offered
     *                               will ever be taken, and the caller must not retry
     */
    boolean offer(RoundMetrics metrics);
}
