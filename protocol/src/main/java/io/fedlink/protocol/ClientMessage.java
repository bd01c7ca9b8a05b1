package io.fedlink.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** What a client hears: from the server (start-up requests, global models) and from the scheduler. */
public sealed interface ClientMessage extends FedlinkMessage
        permits ClientMessage.StartUp, ClientMessage.GlobalModel, ClientMessage.FinishTrial,
                ClientMessage.Local {

    /**
     * Round 0: the server asks for the client's start-up upload (no vector travels downlink).
     *
     * @param poll    this request's poll id: the upload that answers it must carry it (a peer that did
     *                not receive the request cannot answer in the client's name)
     * @param replyTo where the {@link ServerMessage.LocalModel} goes: an answer-only reference
     */
    record StartUp(long poll, ActorRef<ServerMessage.Answer> replyTo) implements ClientMessage {
    }

    /**
     * A poll: the vector the server broadcasts in round {@code round} (w_n for ADMM, s_n otherwise).
     * A client that is not polled in a round receives nothing; under continual updates it still takes
     * that round's local step, at the latest when it is next polled or the trial finishes.
     *
     * @param round   n >= 1
     * @param poll    this poll's id, drawn by the server: the upload that answers it must carry it
     * @param vector  length L; never modified by anyone after sending
     * @param replyTo where the {@link ServerMessage.LocalModel} upload goes: an upload-only reference
     */
    record GlobalModel(int round, long poll, double[] vector, ActorRef<ServerMessage.Answer> replyTo)
            implements ClientMessage, ModelMessage<GlobalModel> {

        @Override
        public GlobalModel withVector(double[] received) {
            return new GlobalModel(round, poll, received, replyTo);
        }
    }

    /**
     * The trial ends after round {@code lastRound}: take any local steps still owed through it and
     * report the deviation history.
     */
    record FinishTrial(int lastRound) implements ClientMessage {
    }

    /**
     * Messages an actor sends itself (timers, watch notifications), declared privately in that
     * actor. They never leave the JVM and are not part of the wire protocol.
     */
    non-sealed interface Local extends ClientMessage, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }
}
