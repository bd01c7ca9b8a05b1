package io.fedlink.actors;

/**
 * A trial could not go on: one of its actors failed (an exception in a rule, a monitor whose metrics
 * stream is gone, a scheduler whose clients never came) or stopped before the trial was done. The
 * message names the trial, the actor and the cause in one line, for the console.
 */
public final class TrialFailure extends RuntimeException {

    private final int trial;
    private final String actor;

    public TrialFailure(int trial, String actor, Throwable cause) {
        super("trial " + trial + ": actor '" + actor + "' failed: " + describe(cause), cause);
        this.trial = trial;
        this.actor = actor;
    }

    /** An actor that the trial cannot do without stopped before the trial was done. */
    public TrialFailure(int trial, String actor) {
        super("trial " + trial + ": actor '" + actor + "' stopped before the trial was done");
        this.trial = trial;
        this.actor = actor;
    }

    public int trial() {
        return trial;
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
