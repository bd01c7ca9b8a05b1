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

    /**
     * What a finished trial went through, where the engine knows it (the actor runtime): how many
     * clients took part and how many polls went unanswered (a stopped or silent client).
     */
    default void trialAccount(SeriesSpec series, int trial, int clients, long droppedPolls) {
    }

    /**
     * A series has finished and its result is final: what a caller keeps if the run stops before the
     * last series (an interrupt, or a failure in a later series).
     */
    default void seriesCompleted(SeriesResult result) {
    }
}
