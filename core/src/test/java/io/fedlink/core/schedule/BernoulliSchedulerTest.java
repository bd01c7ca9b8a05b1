package io.fedlink.core.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.random.RandomStream;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Independent Bernoulli(p) polling, the analysis model of SPEC section 3. */
class BernoulliSchedulerTest {

    private static final int K = 50;
    private static final double P = 0.3;
    private static final int ROUNDS = 10_000;

    @Test
    void eachClientIsSelectedWithFrequencyP() {
        final BernoulliScheduler scheduler = new BernoulliScheduler(P);
        final RandomStream rng = new RandomStream(51L);
        final int[] everyone = IntStream.range(0, K).toArray();
        final long[] counts = new long[K];
        for (int round = 0; round < ROUNDS; round++) {
            for (int k : scheduler.select(everyone, rng)) {
                counts[k]++;
            }
        }
        // Independent binomial counts: sum_k (O_k - R p)^2 / (R p (1-p)) is chi-square with K = 50
        // degrees of freedom; its 0.9999 quantile is 95.97.
        double statistic = 0.0;
        for (long count : counts) {
            statistic += (count - ROUNDS * P) * (count - ROUNDS * P);
        }
        statistic /= ROUNDS * P * (1 - P);
        assertTrue(statistic < 95.97, "chi-square " + statistic + " with counts " + Arrays.toString(counts));
    }

    @Test
    void numberPolledVariesLikeABinomial() {
        // Independence across clients shows in the round size: mean K p = 15, variance K p (1-p) = 10.5.
        final BernoulliScheduler scheduler = new BernoulliScheduler(P);
        final RandomStream rng = new RandomStream(52L);
        final int[] everyone = IntStream.range(0, K).toArray();
        double sum = 0.0;
        double sumSquares = 0.0;
        for (int round = 0; round < ROUNDS; round++) {
            final int[] chosen = scheduler.select(everyone, rng);
            for (int i = 1; i < chosen.length; i++) {
                assertTrue(chosen[i - 1] < chosen[i]);
            }
            sum += chosen.length;
            sumSquares += (double) chosen.length * chosen.length;
        }
        final double mean = sum / ROUNDS;
        final double variance = sumSquares / ROUNDS - mean * mean;
        final double binomialVariance = K * P * (1 - P);
        // 5 sigma: sd of the mean sqrt(var / R); of the sample variance ~ var sqrt(2 / R).
        assertEquals(K * P, mean, 5 * Math.sqrt(binomialVariance / ROUNDS));
        assertEquals(binomialVariance, variance, 5 * binomialVariance * Math.sqrt(2.0 / ROUNDS));
    }

    @Test
    void selectsOnlyAvailableClients() {
        final int[] available = {3, 10, 11, 40};
        final BernoulliScheduler scheduler = new BernoulliScheduler(0.5);
        final RandomStream rng = new RandomStream(53L);
        for (int round = 0; round < 1000; round++) {
            for (int id : scheduler.select(available, rng)) {
                assertTrue(Arrays.binarySearch(available, id) >= 0, "selected unavailable client " + id);
            }
        }
    }

    @Test
    void certainPollingSelectsEveryone() {
        final int[] available = {0, 1, 2, 7};
        assertArrayEquals(available, new BernoulliScheduler(1.0).select(available, new RandomStream(54L)));
        assertEquals(4.0, new BernoulliScheduler(1.0).expectedSelected(4));
    }

    @Test
    void probabilityOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BernoulliScheduler(0.0));
        assertThrows(IllegalArgumentException.class, () -> new BernoulliScheduler(1.5));
        assertThrows(IllegalArgumentException.class, () -> new BernoulliScheduler(Double.NaN));
    }
}
