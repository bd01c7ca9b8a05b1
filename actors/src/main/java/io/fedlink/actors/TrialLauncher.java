package io.fedlink.actors;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Builds the federation of a block of trials of one series: in one JVM every actor of it ({@link TrialActor});
 * in a cluster the server side here and the clients on their own nodes. Its behavior tells {@code replyTo}
 * when the block's monitor has delivered every round of every trial, then stops; if any actor of the block
 * fails, it fails with a {@link TrialFailure} naming that actor, the trials and the cause.
 */
@FunctionalInterface
public interface TrialLauncher {

    /** How a trial ended, as its launcher's caller hears it. */
    sealed interface TrialOutcome permits TrialDone, TrialFailed {
    }

    /** What a block tells its launcher's caller when its monitor has delivered every round of every trial. */
    record TrialDone(int[] trials, int droppedPolls, int rejectedUploads, long clientUpdates) implements TrialOutcome {
    }

    /**
     * A trial failed: said at once, before the trial's actors have all stopped (stopping may wait on a
     * busy dispatcher), so that the run ends without waiting for them.
     */
    record TrialFailed(TrialFailure failure) implements TrialOutcome {
    }

    /**
     * The federation of {@code trials} (ascending; one trial when {@link #maxBlockSize()} is 1).
     */
    Behavior<TrialDone> trials(Experiment experiment, FederatedProblem problem, SeriesSpec series, int[] trials,
                               MetricsOutlet outlet, ActorRef<TrialOutcome> replyTo);

    /** The most trials one federation of this launcher simulates together (a cluster's: one). */
    default int maxBlockSize() {
        return Integer.MAX_VALUE;
    }
}
