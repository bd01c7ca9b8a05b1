package io.fedlink.actors;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Builds the federation of one trial: in one JVM every actor of it ({@link TrialActor}); in a cluster
 * the server side here and the clients on their own nodes. Its behavior tells {@code replyTo} when the
 * trial's monitor has delivered every round, then stops; if any actor of the trial fails, it fails
 * with a {@link TrialFailure} naming that actor, the trial and the cause.
 */
@FunctionalInterface
public interface TrialLauncher {

    /** How a trial ended, as its launcher's caller hears it. */
    sealed interface TrialOutcome permits TrialDone, TrialFailed {
    }

    /** What a trial tells its launcher's caller when its monitor has delivered every round. */
    record TrialDone(int trial, int droppedPolls, int rejectedUploads, long clientUpdates) implements TrialOutcome {
    }

    /**
     * A trial failed: said at once, before the trial's actors have all stopped (stopping may wait on a
     * busy dispatcher), so that the run ends without waiting for them.
     */
    record TrialFailed(TrialFailure failure) implements TrialOutcome {
    }

    Behavior<TrialDone> trial(Experiment experiment, FederatedProblem problem, SeriesSpec series, int trial,
                              MetricsOutlet outlet, ActorRef<TrialOutcome> replyTo);
}
