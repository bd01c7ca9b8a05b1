package io.fedlink.core.engine;

/** Hears of an experiment's progress; called from worker threads, so implementations must be thread-safe. */
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };

    /** A series is about to start. */
    default void seriesStarted(SeriesSpec series) {
    }

    /** One trial of a series has finished. */
    default void trialCompleted(SeriesSpec series, int trial) {
    }
}
