package io.fedlink.actors;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Wraps an actor of a trial so that its failure (an exception or an error) is reported the moment it
 * happens, from the failing actor's own thread: the throwable goes on to Pekko's supervision (the actor
 * stops, the log keeps the stack trace), and the trial's caller is told at once with a
 * {@link TrialLauncher.TrialFailed}. Waiting for the parent to see the actor stopped is not enough: a
 * stop is a message to the failed actor, and on a fork-join pool kept busy by the rest of the
 * federation that message can wait until the trial has finished. For a client it is the only report:
 * no parent watches a client (the scheduler watches the clients of a clients node, to drop one when its
 * node is lost, and none in one JVM).
 *
 * <p>The wrapped behavior answers {@code Behaviors.same()}, not {@code this}: Pekko wraps any other
 * behavior a message returns in a new interceptor object (docs/architecture.md, "Noisy mailbox").
 *
 * @param <T> the wrapped actor's message type
 */
final class FailureReporter<T> extends BehaviorInterceptor<T, T> {

    private final int[] trials;
    private final ActorRef<TrialLauncher.TrialOutcome> reportTo;

    private FailureReporter(Class<T> messageClass, int[] trials, ActorRef<TrialLauncher.TrialOutcome> reportTo) {
        super(messageClass);
        this.trials = trials;
        this.reportTo = reportTo;
    }

    /** {@code behavior}, reporting its failures in the federation of {@code trials} to {@code reportTo}. */
    static <T> Behavior<T> reporting(Class<T> messageClass, int[] trials,
                                     ActorRef<TrialLauncher.TrialOutcome> reportTo, Behavior<T> behavior) {
        return Behaviors.intercept(() -> new FailureReporter<>(messageClass, trials, reportTo), behavior);
    }

    @Override
    public Behavior<T> aroundStart(TypedActorContext<T> ctx, PreStartTarget<T> target) {
        try {
            return target.start(ctx);
        } catch (RuntimeException | Error e) {
            report(ctx, e);
            throw e;
        }
    }

    @Override
    public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T message, ReceiveTarget<T> target) {
        try {
            return target.apply(ctx, message);
        } catch (RuntimeException | Error e) {
            report(ctx, e);
            throw e;
        }
    }

    @Override
    public Behavior<T> aroundSignal(TypedActorContext<T> ctx, Signal signal, SignalTarget<T> target) {
        try {
            return target.apply(ctx, signal);
        } catch (RuntimeException | Error e) {
            report(ctx, e);
            throw e;
        }
    }

    private void report(TypedActorContext<T> ctx, Throwable e) {
        reportTo.tell(new TrialLauncher.TrialFailed(new TrialFailure(trials, ctx.asJava().getSelf().path().name(), e)));
    }
}
