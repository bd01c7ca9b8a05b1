package io.fedlink.actors;

/** Where a monitor delivers its measurements: the entry of the metrics stream. Thread-safe. */
@FunctionalInterface
public interface MetricsOutlet {

    /**
     * @return true if taken; false if the outlet is full for now and the caller should retry later
     */
    boolean offer(RoundMetrics metrics);
}
