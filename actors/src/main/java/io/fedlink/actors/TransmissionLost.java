package io.fedlink.actors;

import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ModelMessage;
import io.fedlink.protocol.ServerMessage;

/**
 * What the noisy mailbox hands its actor when the link lost a model-carrying message: the receiver
 * knows (a failed checksum; the header, round and poll id, is intact), it does not wait for it. A
 * client takes a lost poll as "not polled this round"; a server counts a lost upload as lost, not as a
 * silent client. Never crosses the network: the loss happens at the receiver.
 *
 * @param message the message as it was sent (its vector is not what arrived: nothing usable did)
 */
record TransmissionLost(ModelMessage<?> message) implements ClientMessage.Local, ServerMessage.Local {
}
