package io.fedlink.core.schedule;

import io.fedlink.core.random.RandomStream;
import java.util.Arrays;

/**
 * Each available client is polled independently with probability p, the model the paper's analysis
 * uses (SPEC section 3). The number polled varies from round to round and may be zero; one uniform
 * draw per available client, in id order.
 */
public record BernoulliScheduler(double probability) implements Scheduler {

    public BernoulliScheduler {
        if (!(probability > 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("polling probability must lie in (0, 1], got " + probability);
        }
    }

    @Override
    public int[] select(int[] available, RandomStream rng) {
        final int[] chosen = new int[available.length];
        int count = 0;
        for (int id : available) {
            if (rng.nextDouble() < probability) {
                chosen[count++] = id;
            }
        }
        return Arrays.copyOf(chosen, count);
    }

    @Override
    public double expectedSelected(int available) {
        return probability * available;
    }

    @Override
    public String describe() {
        return "bernoulli(p=" + probability + ")";
    }
}
