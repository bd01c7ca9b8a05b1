package io.fedlink.protocol;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** What the server hears: round plans from the scheduler and uploads from clients. */
public sealed interface ServerMessage extends FedlinkMessage
        permits ServerMessage.RoundPlan, ServerMessage.Answer, ServerMessage.Local {

    /**
     * The scheduler's plan for one round of every trial of the block: whom each trial polls. Round 0 is
     * the start-up.
     *
     * @param round     n >= 0
     * @param clientIds the clients polled in at least one slot, ascending, distinct; never modified after sending
     * @param clients   their mailboxes, in the order of {@code clientIds}
     * @param polled    for each slot, the ids it polls, ascending (each one of {@code clientIds})
     * @param replyTo   where the {@link SchedulerMessage.RoundClosed} goes: the scheduler's reference for
     *                  its own server's closures, handed to no one else
     */
    record RoundPlan(int round, int[] clientIds, List<ActorRef<ClientMessage>> clients, int[][] polled,
                     ActorRef<SchedulerMessage.RoundClosed> replyTo) implements ServerMessage {
        public RoundPlan {
            clients = List.copyOf(clients);
            if (clientIds.length != clients.size()) {
                throw new IllegalArgumentException("a round plan needs one mailbox per polled client");
            }
            if (polled.length == 0) {
                throw new IllegalArgumentException("a round plan covers at least one slot");
            }
            ModelMessage.checkAscending(clientIds, "RoundPlan clients");
            for (int[] ids : polled) {
                ModelMessage.checkAscending(ids, "RoundPlan");
                int i = 0;                                    // both ascending: one pass over clientIds per slot
                for (int id : ids) {
                    while (i < clientIds.length && clientIds[i] < id) {
                        i++;
                    }
                    if (i == clientIds.length || clientIds[i] != id) {
                        throw new IllegalArgumentException("a round plan polls client " + id + " without its mailbox");
                    }
                }
            }
        }

        /** A plan of a federation of one trial: these clients, ascending. */
        public RoundPlan(int round, int[] polled, List<ActorRef<ClientMessage>> clients,
                         ActorRef<SchedulerMessage.RoundClosed> replyTo) {
            this(round, polled, clients, new int[][] {polled}, replyTo);
        }
    }

    /**
     * What a client sends back to a poll, through the server's upload-only reference: its uploads, and
     * the slots whose poll reached it unreadable.
     */
    sealed interface Answer extends ServerMessage permits LocalModel {

        /** The round of the poll answered. */
        int round();

        /** k. */
        int clientId();

        /** The id of the poll answered. */
        long poll();
    }

    /**
     * A client's answer to a poll (or a start-up request) in round {@code round}: its upload in each slot
     * whose poll arrived, and the slots whose poll the downlink lost (the link's checksum failed: the client
     * took the round as not polled there, and uploads nothing for it, so that the server does not wait).
     * Everything the server needs to reject it when it is stale (old round), from a client not polled,
     * not the answer to the poll it names, not for the slots polled, of the wrong length, or not finite.
     *
     * @param round    the round the upload answers
     * @param clientId k
     * @param poll     the id of the poll it answers ({@link ClientMessage.GlobalModel#poll()})
     * @param slots    the slots uploaded, ascending
     * @param vectors  one per slot, of the upload length; never modified after sending
     * @param lost     the slots whose poll was lost, ascending, none of {@code slots}
     */
    record LocalModel(int round, int clientId, long poll, int[] slots, double[][] vectors, int[] lost)
            implements Answer, ModelMessage<LocalModel> {

        public LocalModel {
            ModelMessage.checkSlots(slots, vectors, "LocalModel");
            ModelMessage.checkAscending(lost, "LocalModel lost");
            for (int slot : lost) {
                if (java.util.Arrays.binarySearch(slots, slot) >= 0) {
                    throw new IllegalArgumentException("LocalModel: slot " + slot + " both uploaded and lost");
                }
            }
        }

        /** An upload in a federation of one trial. */
        public LocalModel(int round, int clientId, long poll, double[] vector) {
            this(round, clientId, poll, ClientMessage.ONLY_SLOT.clone(), new double[][] {vector}, new int[0]);
        }

        /** The vector of an answer that carries one (a federation of one trial). */
        public double[] vector() {
            if (vectors.length != 1) {
                throw new IllegalStateException("an answer with " + vectors.length + " uploads has no single vector");
            }
            return vectors[0];
        }

        @Override
        public LocalModel withVectors(int[] slots, double[][] vectors) {
            return new LocalModel(round, clientId, poll, slots, vectors, lost);
        }
    }

    /**
     * Messages an actor sends itself (timers, watch notifications), declared privately in that
     * actor. They never leave the JVM and are not part of the wire protocol.
     */
    non-sealed interface Local extends ServerMessage, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }
}
