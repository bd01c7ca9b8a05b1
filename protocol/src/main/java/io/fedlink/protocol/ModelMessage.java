package io.fedlink.protocol;

/**
 * A message that carries a model vector across a link: the messages the noisy-mailbox decorator
 * perturbs. A receiver gets a new message with a new vector; the sent one is never touched.
 *
 * @param <M> the concrete message type
 */
public interface ModelMessage<M extends ModelMessage<M>> extends FedlinkMessage {

    /** The round the vector belongs to (0 is the start-up round). */
    int round();

    /** The transmitted vector. Read-only: it may be shared with the sender. */
    double[] vector();

    /** The same message carrying another vector (what the link delivered). */
    M withVector(double[] received);
}
