package io.fedlink.cluster;

import io.fedlink.protocol.NodeMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A clients node's session with one coordinator: the reference the node hands that coordinator (and
 * no one else) in its announcement, under a name no one can guess. Whatever arrives here is an
 * instruction from that coordinator, and reaches the node tagged with the session; the node obeys
 * nothing that did not come through a session it made.
 */
final class NodeSession extends AbstractBehavior<NodeMessage> {

    /** An instruction, as the node hears it: which session it came through, and what it says. */
    record Instruction(ActorRef<NodeMessage> session, NodeMessage message) implements NodeMessage.Local {
    }

    private final ActorRef<NodeMessage> node;

    private NodeSession(ActorContext<NodeMessage> context, ActorRef<NodeMessage> node) {
        super(context);
        this.node = node;
    }

    /** @param node the clients node actor, this session's parent */
    static Behavior<NodeMessage> create(ActorRef<NodeMessage> node) {
        return Behaviors.setup(ctx -> new NodeSession(ctx, node));
    }

    @Override
    public Receive<NodeMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(NodeMessage.Local.class, this::onLocal)
                .onAnyMessage(this::onInstruction)
                .build();
    }

    private Behavior<NodeMessage> onInstruction(NodeMessage message) {
        node.tell(new Instruction(getContext().getSelf(), message));
        return this;
    }

    private Behavior<NodeMessage> onLocal(NodeMessage.Local message) {
        getContext().getLog().warn("a {} is not an instruction; ignored", message.getClass().getSimpleName());
        return this;
    }
}
