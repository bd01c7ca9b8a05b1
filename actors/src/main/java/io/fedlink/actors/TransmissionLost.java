package io.fedlink.actors;

import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ModelMessage;
import io.fedlink.protocol.ServerMessage;

/**
 * What the noisy mailbox hands its actor when the links lost a model-carrying message in some of its
 * slots, or all: the receiver knows (a failed checksum; the header, round and poll id, is intact), it does
 * not wait for it. A client takes a lost poll as "not polled this round" in those slots; a server counts a
 * lost upload as lost, not as a silent client. Never crosses the network: the loss happens at the receiver.
 *
 * @param delivered the message with what did arrive: the other slots, with the vectors their links
 *                  delivered (no slot at all when everything was lost)
 * @param lost      the slots whose transmission was lost, ascending
 */
record TransmissionLost(ModelMessage<?> delivered, int[] lost) implements ClientMessage.Local, ServerMessage.Local {
}
