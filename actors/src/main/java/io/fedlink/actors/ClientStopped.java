package io.fedlink.actors;

import io.fedlink.protocol.ServerMessage;

/**
 * A scheduler's word to its server that client {@code clientId}'s actor has stopped. The scheduler
 * death-watches every client it registered; the server watches none (at a million clients three
 * watchers per client cost seconds of set-up and their records in the heap), and drops the client
 * from an open round at once when told, then polls it no more. Passed within the server's node only:
 * never serialized, so no peer can send it.
 */
record ClientStopped(int clientId) implements ServerMessage.Local {
}
