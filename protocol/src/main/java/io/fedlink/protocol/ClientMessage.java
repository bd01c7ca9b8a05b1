package io.fedlink.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** What a client hears: from the server (start-up requests, global models) and from the scheduler. */
public sealed interface ClientMessage extends FedlinkMessage
        permits ClientMessage.StartUp, ClientMessage.GlobalModel, ClientMessage.FinishTrial,
                ClientMessage.Local {

    /**
     * Round 0: the server asks for the client's start-up uploads (no vector travels downlink), in the
     * trials of the block (slots) where the client uploads at start-up.
     *
     * @param poll    this request's poll id: the upload that answers it must carry it (a peer that did
     *                not receive the request cannot answer in the client's name)
     * @param slots   the slots it is asked for, ascending
     * @param replyTo where the {@link ServerMessage.LocalModel} goes: an answer-only reference
     */
    record StartUp(long poll, int[] slots, ActorRef<ServerMessage.Answer> replyTo) implements ClientMessage {

        public StartUp {
            ModelMessage.checkAscending(slots, "StartUp");
        }

        /** A start-up request in a federation of one trial. */
        public StartUp(long poll, ActorRef<ServerMessage.Answer> replyTo) {
            this(poll, ONLY_SLOT.clone(), replyTo);
        }
    }

    /**
     * A poll: the vectors the server broadcasts in round {@code round} (w_n for ADMM, s_n otherwise), one
     * for each trial of the block (slot) in which the client is polled. A client that is not polled in a
     * trial receives nothing for it; under continual updates it still takes that round's local step, at
     * the latest when it is next polled or the trial finishes.
     *
     * @param round   n >= 1
     * @param poll    this poll's id, drawn by the server: the upload that answers it must carry it
     * @param slots   the slots the client is polled in, ascending
     * @param vectors one per slot, each of the broadcast length; never modified by anyone after sending
     * @param replyTo where the {@link ServerMessage.LocalModel} upload goes: an upload-only reference
     */
    record GlobalModel(int round, long poll, int[] slots, double[][] vectors, ActorRef<ServerMessage.Answer> replyTo)
            implements ClientMessage, ModelMessage<GlobalModel> {

        public GlobalModel {
            ModelMessage.checkSlots(slots, vectors, "GlobalModel");
        }

        /** A poll in a federation of one trial. */
        public GlobalModel(int round, long poll, double[] vector, ActorRef<ServerMessage.Answer> replyTo) {
            this(round, poll, ONLY_SLOT.clone(), new double[][] {vector}, replyTo);
        }

        /** The vector of a poll that carries one (a federation of one trial). */
        public double[] vector() {
            if (vectors.length != 1) {
                throw new IllegalStateException("a poll for " + vectors.length + " slots has no single vector");
            }
            return vectors[0];
        }

        @Override
        public GlobalModel withVectors(int[] slots, double[][] vectors) {
            return new GlobalModel(round, poll, slots, vectors, replyTo);
        }
    }

    /**
     * The trial ends after round {@code lastRound}: take any local steps still owed through it and
     * report the deviation history.
     */
    record FinishTrial(int lastRound) implements ClientMessage {
    }

    /** The slots of a federation of one trial. */
    int[] ONLY_SLOT = {0};

    /**
     * Messages an actor sends itself (timers, watch notifications), declared privately in that
     * actor. They never leave the JVM and are not part of the wire protocol.
     */
    non-sealed interface Local extends ClientMessage, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }
}
