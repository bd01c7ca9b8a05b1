package io.fedlink.core.link;

import io.fedlink.core.random.RandomStream;
import java.util.List;

/**
 * A link's channel composed of stages ({@link ChannelSpec}), with the link's noise variance from the
 * link budget: the stages are applied in order to a copy of the sent vector, and the first that loses
 * the transmission ends it.
 */
public record StagedChannel(ChannelSpec spec, double variance) implements ChannelModel {

    public StagedChannel {
        if (!(variance >= 0.0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("link noise variance must be a finite number >= 0, got " + variance);
        }
    }

    @Override
    public boolean deliver(double[] sent, double[] received, RandomStream rng) {
        if (received != sent) {
            System.arraycopy(sent, 0, received, 0, sent.length);
        }
        final ChannelStage.Transmission state = new ChannelStage.Transmission();
        final List<ChannelStage> stages = spec.stages();
        for (int s = 0; s < stages.size(); s++) {
            if (!stages.get(s).apply(received, variance, state, rng)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe() {
        return spec.describe() + "(" + variance + ")";
    }
}
