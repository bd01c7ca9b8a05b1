package io.fedlink.core.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.random.RandomStream;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Exactly C of K uniformly without replacement (SPEC section 3), checked against its exact moments. */
class UniformSchedulerTest {

    private static final int K = 20;
    private static final int C = 5;
    private static final int ROUNDS = 20_000;

    private static int[] everyone(int clients) {
        return IntStream.range(0, clients).toArray();
    }

    @Test
    void selectsExactlyCDistinctIdsInAscendingOrder() {
        final UniformScheduler scheduler = new UniformScheduler(C);
        final RandomStream rng = new RandomStream(41L);
        final int[] available = everyone(K);
        for (int round = 0; round < 1000; round++) {
            final int[] chosen = scheduler.select(available, rng);
            assertEquals(C, chosen.length);
            for (int i = 1; i < chosen.length; i++) {
                assertTrue(chosen[i - 1] < chosen[i], () -> Arrays.toString(chosen));   // distinct and ascending
            }
            assertTrue(chosen[0] >= 0 && chosen[C - 1] < K);
        }
        assertArrayEquals(everyone(K), available);                  // the input is not modified
    }

    @Test
    void eachClientIsSelectedWithFrequencyCOverK() {
        final UniformScheduler scheduler = new UniformScheduler(C);
        final RandomStream rng = new RandomStream(42L);
        final long[] counts = new long[K];
        for (int round = 0; round < ROUNDS; round++) {
            for (int k : scheduler.select(everyone(K), rng)) {
                counts[k]++;
            }
        }
        // Per round Var(a_k) = p(1-p) and Cov(a_k, a_l) = -p(1-p)/(K-1) (the total is fixed at C), so
        // sum_k (O_k - R p)^2 / (R p (1-p) K/(K-1)) is chi-square with K-1 = 19 degrees of freedom;
        // its 0.9999 quantile is 50.80.
        final double p = (double) C / K;
        double statistic = 0.0;
        for (long count : counts) {
            statistic += (count - ROUNDS * p) * (count - ROUNDS * p);
        }
        statistic /= ROUNDS * p * (1 - p) * K / (K - 1.0);
        assertTrue(statistic < 50.80, "chi-square " + statistic + " with counts " + Arrays.toString(counts));
    }

    @Test
    void eachPairIsSelectedTogetherWithFrequencyOfSamplingWithoutReplacement() {
        // q = P(k and l both polled) = C(C-1) / (K(K-1)): the moment the exact theory of SPEC 7.2 uses.
        final UniformScheduler scheduler = new UniformScheduler(C);
        final RandomStream rng = new RandomStream(43L);
        final long[][] together = new long[K][K];
        for (int round = 0; round < ROUNDS; round++) {
            final int[] chosen = scheduler.select(everyone(K), rng);
            for (int i = 0; i < chosen.length; i++) {
                for (int j = i + 1; j < chosen.length; j++) {
                    together[chosen[i]][chosen[j]]++;
                }
            }
        }
        final double q = (double) C * (C - 1) / (K * (K - 1.0));
        final double expected = ROUNDS * q;
        final double sd = Math.sqrt(ROUNDS * q * (1 - q));
        for (int k = 0; k < K; k++) {
            for (int l = k + 1; l < K; l++) {
                // 5 sd for each of the 190 pairs: all pass with probability 1 - 1e-4 for a correct scheduler.
                assertEquals(expected, together[k][l], 5 * sd, "pair " + k + "," + l);
            }
        }
    }

    @Test
    void withFewerAvailableThanCEveryAvailableClientIsPolled() {
        final int[] available = {1, 4, 9};
        final int[] chosen = new UniformScheduler(C).select(available, new RandomStream(44L));
        assertArrayEquals(available, chosen);
        assertNotSame(available, chosen);                          // a fresh array, as the contract says
        assertArrayEquals(available, new UniformScheduler(3).select(available, new RandomStream(44L)));
    }

    @Test
    void selectsOnlyAvailableClientsAndEachEquallyOften() {
        final int[] available = {2, 3, 5, 8, 13, 21, 34, 55};
        final UniformScheduler scheduler = new UniformScheduler(3);
        final RandomStream rng = new RandomStream(45L);
        final long[] counts = new long[56];
        final int rounds = 8000;
        for (int round = 0; round < rounds; round++) {
            for (int id : scheduler.select(available, rng)) {
                assertTrue(Arrays.binarySearch(available, id) >= 0, "selected unavailable client " + id);
                counts[id]++;
            }
        }
        // As above with n = 8 available and C = 3: chi-square with 7 degrees of freedom, 0.9999
        // quantile 29.88.
        final double p = 3.0 / available.length;
        double statistic = 0.0;
        for (int id : available) {
            statistic += (counts[id] - rounds * p) * (counts[id] - rounds * p);
        }
        statistic /= rounds * p * (1 - p) * available.length / (available.length - 1.0);
        assertTrue(statistic < 29.88, "chi-square " + statistic);
    }

    @Test
    void expectedSelectedIsCUnlessFewerAreAvailable() {
        assertEquals(5.0, new UniformScheduler(5).expectedSelected(100));
        assertEquals(3.0, new UniformScheduler(5).expectedSelected(3));
    }

    @Test
    void fewerThanOneSelectedIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UniformScheduler(0));
    }

    @Test
    void policyBuildsTheSchedulerItNames() {
        assertEquals(new UniformScheduler(4), SchedulingPolicy.UNIFORM.scheduler(4, 100));
        assertEquals(new BernoulliScheduler(0.04), SchedulingPolicy.BERNOULLI.scheduler(4, 100));
        assertEquals(SchedulingPolicy.BERNOULLI, SchedulingPolicy.byId(" Bernoulli "));
        assertThrows(IllegalArgumentException.class, () -> SchedulingPolicy.byId("round-robin"));
    }
}
