package io.fedlink.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** What the scheduler hears: client registrations and the server's round closures. */
public sealed interface SchedulerMessage extends FedlinkMessage
        permits SchedulerMessage.RegisterClient, SchedulerMessage.RoundClosed, SchedulerMessage.Local {

    /**
     * A client announces itself; it can be polled from the next round the scheduler plans.
     *
     * @param clientId k
     * @param client   its mailbox
     */
    record RegisterClient(int clientId, ActorRef<ClientMessage> client) implements SchedulerMessage {
    }

    /**
     * The server closed a round.
     *
     * @param round    n
     * @param polled   how many clients were polled
     * @param received uploads aggregated
     * @param dropped  ids of polled clients that did not answer in time or had stopped, ascending
     */
    record RoundClosed(int round, int polled, int received, int[] dropped) implements SchedulerMessage {
    }

    /**
     * Messages an actor sends itself (timers, watch notifications), declared privately in that
     * actor. They never leave the JVM and are not part of the wire protocol.
     */
    non-sealed interface Local extends SchedulerMessage, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }
}
