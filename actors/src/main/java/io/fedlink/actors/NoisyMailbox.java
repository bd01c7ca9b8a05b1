package io.fedlink.actors;

import io.fedlink.core.engine.TrialWiring;
import io.fedlink.core.link.Link;
import io.fedlink.protocol.ModelMessage;
import io.fedlink.protocol.ServerMessage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The noisy-mailbox decorator: wraps the receiving side of an actor and delivers every incoming
 * model-carrying message through its link's channel, with that link's own random stream: what
 * arrives, perturbed, or a {@link TransmissionLost} when the channel lost it. Other messages pass
 * untouched. The perturbed vector is a new array in a new message; the sender's array
 * is never modified (in one JVM it is shared by reference). The whole vector crosses the link: when
 * an algorithm's uploads or broadcasts carry more than the model (SCAFFOLD's control variates), the
 * channel perturbs, quantises or loses all of it, as a real link would.
 *
 * <p>Noise is infrastructure: the algorithm actors inside never draw link noise. A message whose
 * vector does not have the federation's length L passes through unperturbed, for the actor to
 * reject; so does an upload naming a client the federation does not have. (The length is L, or
 * the upload or broadcast length the algorithm declares.)
 *
 * @param <T> the decorated actor's message type
 */
public final class NoisyMailbox<T> extends BehaviorInterceptor<T, T> {

    /** Picks the link a model message arrived on; null to pass the message through untouched. */
    @FunctionalInterface
    public interface LinkSelector {
        Link linkOf(ModelMessage<?> message);
    }

    private final int dimension;
    private final LinkSelector links;
    private long perturbed;

    private NoisyMailbox(Class<T> messageClass, int dimension, LinkSelector links) {
        super(messageClass);
        this.dimension = dimension;
        this.links = links;
    }

    /**
     * Decorates any behavior with a link selector (tests, other channel layouts). The selector is made
     * afresh each time the behavior starts, so a restarted actor never shares a stream with its past.
     */
    public static <T> Behavior<T> decorate(Class<T> messageClass, int dimension, Supplier<LinkSelector> links,
                                           Behavior<T> behavior) {
        return Behaviors.intercept(() -> new NoisyMailbox<>(messageClass, dimension, links.get()), behavior);
    }

    /**
     * A client's mailbox: everything model-carrying it receives came down its downlink.
     *
     * @param downlink makes client k's downlink (its channel and its stream, from the trial's wiring)
     */
    public static <T> Behavior<T> downlink(Class<T> messageClass, int dimension, Supplier<Link> downlink,
                                           Behavior<T> client) {
        return decorate(messageClass, dimension, () -> {
            final Link link = downlink.get();
            return message -> link;
        }, client);
    }

    /**
     * The server's mailbox: an upload from client k, once the server's upload reference has admitted
     * it as the answer to an open poll ({@link Upload.Admitted}), came up k's uplink, with k's own
     * stream. A refused upload draws nothing: no peer can shift another link's noise.
     *
     * @param wiring the trial's wiring, where each client's uplink comes from
     */
    public static Behavior<ServerMessage> uplinks(int dimension, TrialWiring wiring, Behavior<ServerMessage> server) {
        return decorate(ServerMessage.class, dimension, () -> {
            final Link[] links = new Link[wiring.clientCount()];
            return message -> {
                if (!(message instanceof Upload.Admitted upload)) {
                    return null;                         // only an admitted upload crosses the uplink
                }
                final int k = upload.clientId();
                if (k < 0 || k >= links.length) {
                    return null;
                }
                if (links[k] == null) {      // streams are created on first use: a million clients stay cheap
                    links[k] = wiring.uplink(k);
                }
                return links[k];
            };
        }, server);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T message, ReceiveTarget<T> target) {
        if (message instanceof ModelMessage<?> model) {
            final double[] sent = model.vector();
            if (sent != null && sent.length == dimension) {
                final Link link = links.linkOf(model);
                if (link != null) {
                    final double[] received = new double[sent.length];
                    perturbed++;
                    if (!link.deliver(sent, received)) {
                        return target.apply(ctx, (T) new TransmissionLost(model));
                    }
                    return target.apply(ctx, (T) model.withVector(received));
                }
            }
        }
        return target.apply(ctx, message);
    }

    @Override
    public String toString() {
        return "NoisyMailbox(L=" + dimension + ", perturbed=" + perturbed + ")";
    }
}
