package io.fedlink.core.link;

import io.fedlink.core.random.RandomStream;

/**
 * One link as its receiver holds it: the channel it applies and the link's own random stream
 * (SPEC section 2). A link is stateful through its stream: each one is owned by exactly one
 * receiver, which delivers the link's transmissions in their order (the determinism contract).
 */
public record Link(ChannelModel channel, RandomStream stream) {

    /**
     * Delivers one transmission.
     *
     * @param sent     the clean vector, not modified
     * @param received overwritten with what the receiver gets
     * @return true if it arrived; false if the channel lost it
     */
    public boolean deliver(double[] sent, double[] received) {
        return channel.deliver(sent, received, stream);
    }
}
