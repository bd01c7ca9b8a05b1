package io.fedlink.cluster;

import java.util.function.ToIntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A narrow reference at run time, for one clients node: passes on one message class, about the
 * node's own clients only, and refuses everything else. An {@code ActorRef<RegisterClient>}
 * narrowed from the scheduler's reference is narrow only to the compiler; a remote peer holding it
 * can still send the scheduler anything the wire format carries, about any client. A trial on the
 * cluster hands each node gates instead (registration-only to the scheduler, deviation-only to the
 * monitor), so that holding them grants nothing more.
 *
 * @param <T> the one message class that passes
 */
final class Gate<T> extends AbstractBehavior<Object> {

    private final Class<T> passes;
    private final ToIntFunction<T> clientOf;
    private final NodeDirectory.Range range;
    private final ActorRef<? super T> target;

    private Gate(ActorContext<Object> context, Class<T> passes, ToIntFunction<T> clientOf, NodeDirectory.Range range,
                 ActorRef<? super T> target) {
        super(context);
        this.passes = passes;
        this.clientOf = clientOf;
        this.range = range;
        this.target = target;
    }

    /**
     * A gate to {@code target} for messages of class {@code passes} about clients in {@code range};
     * spawn it and hand out its narrowed reference.
     *
     * @param clientOf the client a message is about
     */
    static <T> Behavior<Object> create(Class<T> passes, ToIntFunction<T> clientOf, NodeDirectory.Range range,
                                       ActorRef<? super T> target) {
        return Behaviors.setup(ctx -> new Gate<>(ctx, passes, clientOf, range, target));
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(passes, this::onPass)
                .onAnyMessage(this::onRefused)
                .build();
    }

    private Behavior<Object> onPass(T message) {
        final int k = clientOf.applyAsInt(message);
        if (k < range.first() || k > range.last()) {
            getContext().getLog().warn("a {} about client {} sent through the gate to {} of a node with clients {}..{}; "
                    + "refused", passes.getSimpleName(), k, target.path().name(), range.first(), range.last());
            return this;
        }
        target.tell(message);
        return this;
    }

    private Behavior<Object> onRefused(Object message) {
        getContext().getLog().warn("a {} sent through the gate to {}; refused: this reference passes {} only",
                message.getClass().getSimpleName(), target.path().name(), passes.getSimpleName());
        return this;
    }
}
