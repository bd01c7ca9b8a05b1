package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The top of one trial's actor tree once its federation is spawned: it watches every child it
 * started, passes on the monitor's {@link TrialDone} and stops (and with it the whole subtree), and
 * turns a child's failure into its own {@link TrialFailure}, which its parent (the experiment driver)
 * sees in turn. An essential child (monitor, server, scheduler) that stops before the trial is done
 * fails the trial too; a client that stops is the protocol's business (it is dropped, then not polled).
 */
public final class TrialGuardian {

    private TrialGuardian() {
    }

    /**
     * @param essential the children the trial cannot do without; every other child is watched as well
     * @param onDone    run when the trial is done, before {@code replyTo} hears of it
     */
    public static Behavior<TrialDone> watching(ActorContext<TrialDone> ctx, int trial, Set<ActorRef<?>> essential,
                                        ActorRef<TrialLauncher.TrialOutcome> replyTo, Runnable onDone) {
        final Set<ActorRef<?>> needed = new HashSet<>(essential);
        return Behaviors.receive(TrialDone.class)
                .onMessage(TrialDone.class, done -> {
                    onDone.run();
                    replyTo.tell(done);
                    return Behaviors.stopped();
                })
                .onSignal(ChildFailed.class, failed -> {
                    // Pekko has logged the child's failure, with its stack trace; the trial fails with it.
                    throw fail(replyTo, new TrialFailure(trial, failed.getRef().path().name(), failed.getCause()));
                })
                .onSignal(Terminated.class, stopped -> {
                    if (needed.contains(stopped.getRef())) {
                        throw fail(replyTo, new TrialFailure(trial, stopped.getRef().path().name()));
                    }
                    return Behaviors.same();
                })
                .build();
    }

    /** Says so to the trial's caller at once, then is thrown: the trial stops, and with it its actors. */
    private static TrialFailure fail(ActorRef<TrialLauncher.TrialOutcome> replyTo, TrialFailure failure) {
        replyTo.tell(new TrialLauncher.TrialFailed(failure));
        return failure;
    }
}
