package io.fedlink.actors;

import io.fedlink.core.engine.TrialWiring;
import io.fedlink.core.link.Link;
import io.fedlink.protocol.ModelMessage;
import io.fedlink.protocol.ServerMessage;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The noisy-mailbox decorator: wraps the receiving side of an actor and delivers every incoming
 * model-carrying message through its links' channels: each slot's vector (each trial of the federation's
 * block) through that trial's own link, with that link's own random stream. What arrives is a new message
 * with the perturbed vectors, or, when a link lost its transmission, a {@link TransmissionLost} that carries
 * the slots that did arrive and names the others. Other messages pass untouched. The sender's arrays are
 * never modified (in one JVM they are shared by reference). The whole vector crosses the link: when an
 * algorithm's uploads or broadcasts carry more than the model (SCAFFOLD's control variates), the channel
 * perturbs, quantises or loses all of it, as a real link would.
 *
 * <p>Noise is infrastructure: the algorithm actors inside never draw link noise. A message with a vector
 * that does not have the federation's length L passes through unperturbed, for the actor to reject; so does
 * one naming a client or a slot the federation does not have. (The length is L, or the upload or broadcast
 * length the algorithm declares.)
 *
 * <p>The decorated actor answers {@code Behaviors.same()}, not {@code this}, or each message would rebuild
 * this interceptor around it (docs/architecture.md).
 *
 * @param <T> the decorated actor's message type
 */
public final class NoisyMailbox<T> extends BehaviorInterceptor<T, T> {

    /** Picks the link a model message's vector in one slot arrived on; null to pass the message through untouched. */
    @FunctionalInterface
    public interface LinkSelector {
        Link linkOf(ModelMessage<?> message, int slot);
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
     * A client's mailbox in a federation of one trial: everything model-carrying it receives came down its
     * downlink.
     *
     * @param downlink makes client k's downlink (its channel and its stream, from the trial's wiring)
     */
    public static <T> Behavior<T> downlink(Class<T> messageClass, int dimension, Supplier<Link> downlink,
                                           Behavior<T> client) {
        return downlinks(messageClass, dimension, 1, slot -> downlink.get(), client);
    }

    /**
     * A client's mailbox in a block of trials: the vector of slot s came down client k's downlink of the
     * block's trial s, with that trial's stream. Links are made on first use.
     *
     * @param slots    B
     * @param downlink makes client k's downlink in a slot (from that trial's wiring)
     */
    public static <T> Behavior<T> downlinks(Class<T> messageClass, int dimension, int slots, IntFunction<Link> downlink,
                                            Behavior<T> client) {
        return decorate(messageClass, dimension, () -> {
            final Link[] links = new Link[slots];
            return (message, slot) -> {
                if (slot >= slots) {
                    return null;
                }
                if (links[slot] == null) {
                    links[slot] = downlink.apply(slot);
                }
                return links[slot];
            };
        }, client);
    }

    /**
     * The server's mailbox: an upload from client k, once the server's upload reference has admitted it as
     * the answer to an open poll ({@link Upload.Admitted}), came up k's uplink of each slot's trial, with
     * that link's own stream. A refused upload draws nothing: no peer can shift another link's noise.
     *
     * @param wirings each slot's trial wiring, where each client's uplink comes from
     */
    public static Behavior<ServerMessage> uplinks(int dimension, TrialWiring[] wirings, Behavior<ServerMessage> server) {
        return decorate(ServerMessage.class, dimension, () -> {
            final int clients = wirings[0].clientCount();
            final Link[][] links = new Link[wirings.length][];
            return (message, slot) -> {
                if (!(message instanceof Upload.Admitted upload)) {
                    return null;                         // only an admitted upload crosses the uplink
                }
                final int k = upload.clientId();
                if (k < 0 || k >= clients || slot >= wirings.length) {
                    return null;
                }
                if (links[slot] == null) {
                    links[slot] = new Link[clients];
                }
                if (links[slot][k] == null) {    // streams are created on first use: a million clients stay cheap
                    links[slot][k] = wirings[slot].uplink(k);
                }
                return links[slot][k];
            };
        }, server);
    }

    /** The server's mailbox in a federation of one trial. */
    public static Behavior<ServerMessage> uplinks(int dimension, TrialWiring wiring, Behavior<ServerMessage> server) {
        return uplinks(dimension, new TrialWiring[] {wiring}, server);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T message, ReceiveTarget<T> target) {
        if (message instanceof ModelMessage<?> model) {
            final int[] slots = model.slots();
            final double[][] sent = model.vectors();
            if (slots != null && sent != null && slots.length == sent.length && slots.length > 0 && fits(sent)) {
                final Link[] chosen = new Link[slots.length];
                for (int i = 0; i < slots.length; i++) {
                    chosen[i] = links.linkOf(model, slots[i]);
                    if (chosen[i] == null) {
                        return target.apply(ctx, message);
                    }
                }
                final double[][] received = new double[slots.length][];
                int kept = 0;
                for (int i = 0; i < slots.length; i++) {
                    final double[] vector = new double[dimension];
                    perturbed++;
                    if (chosen[i].deliver(sent[i], vector)) {
                        received[i] = vector;
                        kept++;
                    }
                }
                if (kept == slots.length) {
                    return target.apply(ctx, (T) ((ModelMessage) model).withVectors(slots, received));
                }
                final int[] keptSlots = new int[kept];
                final double[][] keptVectors = new double[kept][];
                final int[] lost = new int[slots.length - kept];
                for (int i = 0, k = 0, l = 0; i < slots.length; i++) {
                    if (received[i] != null) {
                        keptSlots[k] = slots[i];
                        keptVectors[k++] = received[i];
                    } else {
                        lost[l++] = slots[i];
                    }
                }
                return target.apply(ctx, (T) new TransmissionLost(((ModelMessage) model).withVectors(keptSlots,
                        keptVectors), lost));
            }
        }
        return target.apply(ctx, message);
    }

    private boolean fits(double[][] vectors) {
        for (double[] vector : vectors) {
            if (vector == null || vector.length != dimension) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "NoisyMailbox(L=" + dimension + ", perturbed=" + perturbed + ")";
    }
}
