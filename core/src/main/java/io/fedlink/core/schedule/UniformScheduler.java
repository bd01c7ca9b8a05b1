package io.fedlink.core.schedule;

import io.fedlink.core.random.RandomStream;
import java.util.Arrays;

/**
 * Exactly C clients per round, drawn uniformly without replacement, independently across rounds:
 * the paper's scheduler and the default. When fewer than C clients are available, all of them are
 * polled (a runtime that lost clients polls what it has).
 *
 * <p>The draw is a partial Fisher-Yates shuffle of the available ids: C draws from the stream.
 */
public record UniformScheduler(int selected) implements Scheduler {

    public UniformScheduler {
        if (selected < 1) {
            throw new IllegalArgumentException("C must be at least 1, got " + selected);
        }
    }

    @Override
    public int[] select(int[] available, RandomStream rng) {
        final int n = available.length;
        if (n <= selected) {
            return available.clone();
        }
        final int[] pool = available.clone();
        for (int i = 0; i < selected; i++) {
            final int j = i + rng.nextInt(n - i);
            final int swap = pool[i];
            pool[i] = pool[j];
            pool[j] = swap;
        }
        final int[] chosen = Arrays.copyOf(pool, selected);
        Arrays.sort(chosen);
        return chosen;
    }

    @Override
    public double expectedSelected(int available) {
        return Math.min(selected, available);
    }

    @Override
    public String describe() {
        return "uniform(C=" + selected + ")";
    }
}
