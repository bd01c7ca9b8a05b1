package io.fedlink.actors;

/**
 * A trial could not go on: one of its actors failed (an exception in a rule, a monitor whose metrics
 * stream is gone, a scheduler whose clients never came) or stopped before the trial was done. The
 * message names the trial, the actor and the cause in one line, for the console.
 */
public final class TrialFailure extends RuntimeException {

    private final int[] trials;
    private final String actor;

    /** @param trials the trials of the federation (its block) the actor belongs to */
    public TrialFailure(int[] trials, String actor, Throwable cause) {
        super(Trials.describe(trials) + ": actor '" + actor + "' failed: " + describe(cause), cause);
        this.trials = trials.clone();
        this.actor = actor;
    }

    /** An actor that the federation cannot do without stopped before its trials were done. */
    public TrialFailure(int[] trials, String actor) {
        super(Trials.describe(trials) + ": actor '" + actor + "' stopped before the trial was done");
        this.trials = trials.clone();
        this.actor = actor;
    }

    /** The trials of the federation that failed (its block; one trial on a cluster). */
    public int[] trials() {
        return trials.clone();
    }

    public String actor() {
        return actor;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        return cause.getMessage() == null ? cause.getClass().getName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
