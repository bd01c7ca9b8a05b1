package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The top of one trial's actor tree once its federation is spawned: it watches its server side
 * (monitor, server, scheduler, checkpoint writer; not the clients, whose failures their
 * {@link FailureReporter} reports, and whose stops on a cluster the scheduler watches), passes on the monitor's
 * {@link TrialDone} and stops (and with it the whole subtree), and turns a watched child's failure into
 * its own {@link TrialFailure}, which its parent (the experiment driver) sees in turn. An essential
 * child (monitor, server, scheduler) that stops before the trial is done fails the trial too; a client
 * that stops is the protocol's business (it is dropped, then not polled).
 */
public final class TrialGuardian {

    private TrialGuardian() {
    }

    /**
     * @param essential the children the trial cannot do without; every other child is watched as well
     * @param onDone    run when the trial is done, before {@code replyTo} hears of it
     */
    public static Behavior<TrialDone> watching(ActorContext<TrialDone> ctx, int[] trials, Set<ActorRef<?>> essential,
                                        ActorRef<TrialLauncher.TrialOutcome> replyTo, Runnable onDone) {
        return watching(ctx, trials, essential, null, replyTo, onDone);
    }

    /** How long a done trial waits for its checkpoint writer to drain before it reports anyway. */
    static final Duration DRAIN_BOUND = Duration.ofSeconds(30);

    /**
     * As above, with a checkpoint writer (one of {@code essential}) that is drained once the trial is
     * done: every round state the server sent is checked and the newest written before the trial
     * reports done and stops. Waiting is bounded ({@link #DRAIN_BOUND}): a disk that hangs delays the
     * report, never holds the run.
     *
     * @param writer the trial's round-state writer, or null
     */
    public static Behavior<TrialDone> watching(ActorContext<TrialDone> ctx, int[] trials, Set<ActorRef<?>> essential,
                                               ActorRef<RoundStateWriter.Drain> writer,
                                               ActorRef<TrialLauncher.TrialOutcome> replyTo, Runnable onDone) {
        final Set<ActorRef<?>> needed = new HashSet<>(essential);
        return Behaviors.receive(TrialDone.class)
                .onMessage(TrialDone.class, done -> {
                    if (writer == null) {
                        return report(done, replyTo, onDone);
                    }
                    writer.tell(RoundStateWriter.Drain.INSTANCE);
                    return draining(ctx, trials, writer, done, replyTo, onDone);
                })
                .onSignal(ChildFailed.class, failed -> {
                    // Pekko has logged the child's failure, with its stack trace; the trial fails with it.
                    throw fail(replyTo, new TrialFailure(trials, failed.getRef().path().name(), failed.getCause()));
                })
                .onSignal(Terminated.class, stopped -> {
                    if (needed.contains(stopped.getRef())) {
                        throw fail(replyTo, new TrialFailure(trials, stopped.getRef().path().name()));
                    }
                    return Behaviors.same();
                })
                .build();
    }

    private static Behavior<TrialDone> report(TrialDone done, ActorRef<TrialLauncher.TrialOutcome> replyTo,
                                              Runnable onDone) {
        onDone.run();
        replyTo.tell(done);
        return Behaviors.stopped();
    }

    /** The trial is done; its writer drains (its stop is the signal), within {@link #DRAIN_BOUND}. */
    private static Behavior<TrialDone> draining(ActorContext<TrialDone> ctx, int[] trials,
                                                ActorRef<RoundStateWriter.Drain> writer, TrialDone done,
                                                ActorRef<TrialLauncher.TrialOutcome> replyTo, Runnable onDone) {
        final TrialDone drained = new TrialDone(new int[0], 0, 0, 0L);  // the timer's own message, never a real block's
        ctx.scheduleOnce(DRAIN_BOUND, ctx.getSelf(), drained);
        return Behaviors.receive(TrialDone.class)
                .onMessage(TrialDone.class, timeout -> {
                    if (timeout != drained) {
                        return Behaviors.same();                  // a second TrialDone: the first stands
                    }
                    ctx.getLog().warn("{}: the checkpoint writer did not finish within {}; reporting them "
                            + "done without waiting for it", Trials.describe(trials), DRAIN_BOUND);
                    return report(done, replyTo, onDone);
                })
                .onSignal(ChildFailed.class, failed -> {
                    throw fail(replyTo, new TrialFailure(trials, failed.getRef().path().name(), failed.getCause()));
                })
                .onSignal(Terminated.class, stopped -> stopped.getRef().equals(writer)
                        ? report(done, replyTo, onDone) : Behaviors.same())
                .build();
    }

    /** Says so to the trial's caller at once, then is thrown: the trial stops, and with it its actors. */
    private static TrialFailure fail(ActorRef<TrialLauncher.TrialOutcome> replyTo, TrialFailure failure) {
        replyTo.tell(new TrialLauncher.TrialFailed(failure));
        return failure;
    }
}
