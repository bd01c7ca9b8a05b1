package io.fedlink.actors;

import java.util.ArrayDeque;

/**
 * A monitor's measurements on their way into the metrics stream: held in order until the stream
 * takes them, so that a full stream delays delivery and never loses a round.
 */
final class MetricsOutbox {

    private final MetricsOutlet outlet;
    private final ArrayDeque<RoundMetrics> pending = new ArrayDeque<>();

    MetricsOutbox(MetricsOutlet outlet) {
        this.outlet = outlet;
    }

    void add(RoundMetrics metrics) {
        pending.add(metrics);
    }

    /** Offers what is pending, in order; returns true when all of it was taken. */
    boolean flush() {
        while (!pending.isEmpty()) {
            if (!outlet.offer(pending.peek())) {
                return false;
            }
            pending.poll();
        }
        return true;
    }
}
