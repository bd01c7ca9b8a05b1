package io.fedlink.protocol;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** What the server hears: round plans from the scheduler and uploads from clients. */
public sealed interface ServerMessage extends FedlinkMessage
        permits ServerMessage.RoundPlan, ServerMessage.Answer, ServerMessage.Local {

    /**
     * The scheduler's plan for one round: poll these clients. Round 0 is the start-up.
     *
     * @param round   n >= 0
     * @param polled  client ids, ascending, distinct; never modified after sending
     * @param clients the polled clients' mailboxes, in the order of {@code polled}
     * @param replyTo where the {@link SchedulerMessage.RoundClosed} goes: the scheduler's reference for
     *                its own server's closures, handed to no one else
     */
    record RoundPlan(int round, int[] polled, List<ActorRef<ClientMessage>> clients,
                     ActorRef<SchedulerMessage.RoundClosed> replyTo) implements ServerMessage {
        public RoundPlan {
            clients = List.copyOf(clients);
            if (polled.length != clients.size()) {
                throw new IllegalArgumentException("a round plan needs one mailbox per polled client");
            }
        }
    }

    /**
     * What a client sends back to a poll, through the server's upload-only reference: its upload, or
     * word that the poll reached it unreadable.
     */
    sealed interface Answer extends ServerMessage permits LocalModel, PollLost {

        /** The round of the poll answered. */
        int round();

        /** k. */
        int clientId();

        /** The id of the poll answered. */
        long poll();
    }

    /**
     * A client's upload in round {@code round}: everything the server needs to reject it when it is
     * stale (old round), from a client not polled in this round, not the answer to the poll it names,
     * of the wrong length, or not finite.
     *
     * @param round    the round the upload answers
     * @param clientId k
     * @param poll     the id of the poll it answers ({@link ClientMessage.GlobalModel#poll()})
     * @param vector   length L; never modified after sending
     */
    record LocalModel(int round, int clientId, long poll, double[] vector)
            implements Answer, ModelMessage<LocalModel> {

        @Override
        public LocalModel withVector(double[] received) {
            return new LocalModel(round, clientId, poll, received);
        }
    }

    /**
     * The poll of round {@code round} reached client k, but the link lost it (its checksum failed):
     * the client takes the round as not polled and uploads nothing, and says so, so that the server
     * does not wait for an upload that will not come. A control message: it carries no model, and no
     * link perturbs it.
     */
    record PollLost(int round, int clientId, long poll) implements Answer {
    }

    /**
     * Messages an actor sends itself (timers, watch notifications), declared privately in that
     * actor. They never leave the JVM and are not part of the wire protocol.
     */
    non-sealed interface Local extends ServerMessage, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }
}
