package io.fedlink.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The naming of random streams by (seed, trial, purpose, client id): the determinism contract. */
class StreamKeysTest {

    private static final long SEED = 1;
    private static final int TRIAL = 3;
    private static final int CLIENT = 7;

    @Test
    void keyChangesWithEachOfItsFourArguments() {
        final long base = StreamKeys.key(SEED, TRIAL, StreamPurpose.UPLINK_NOISE, CLIENT);
        assertNotEquals(base, StreamKeys.key(SEED + 1, TRIAL, StreamPurpose.UPLINK_NOISE, CLIENT));
        assertNotEquals(base, StreamKeys.key(SEED, TRIAL + 1, StreamPurpose.UPLINK_NOISE, CLIENT));
        assertNotEquals(base, StreamKeys.key(SEED, TRIAL, StreamPurpose.DOWNLINK_NOISE, CLIENT));
        assertNotEquals(base, StreamKeys.key(SEED, TRIAL, StreamPurpose.UPLINK_NOISE, CLIENT + 1));
    }

    @Test
    void keyDependsOnNothingButItsArguments() {
        assertEquals(StreamKeys.key(SEED, TRIAL, StreamPurpose.SCHEDULE, 0),
                StreamKeys.key(SEED, TRIAL, StreamPurpose.SCHEDULE, 0));
        assertEquals(StreamKeys.stream(SEED, TRIAL, StreamPurpose.SCHEDULE, 0).nextLong(),
                new RandomStream(StreamKeys.key(SEED, TRIAL, StreamPurpose.SCHEDULE, 0)).nextLong());
    }

    @Test
    void keysDoNotCollideAcrossAnExperimentsStreams() {
        // Every stream a paper-scale experiment could name: 4 seeds x 101 trials (with NO_TRIAL) x
        // 5 purposes x 101 client ids. Swapping trial and client, or neighbouring seeds, must not
        // land on the same key.
        final Set<Long> keys = new HashSet<>();
        int named = 0;
        for (long seed = 0; seed < 4; seed++) {
            for (int trial = StreamKeys.NO_TRIAL; trial < 100; trial++) {
                for (StreamPurpose purpose : StreamPurpose.values()) {
                    for (int client = -1; client < 100; client++) {
                        keys.add(StreamKeys.key(seed, trial, purpose, client));
                        named++;
                    }
                }
            }
        }
        assertEquals(named, keys.size());
    }

    @Test
    void purposeCodesAreTheContractsFixedNumbers() {
        // Renumbering a purpose would silently change every stream of every recorded experiment.
        assertEquals(1, StreamPurpose.TRUE_MODEL.code());
        assertEquals(2, StreamPurpose.CLIENT_DATA.code());
        assertEquals(3, StreamPurpose.SCHEDULE.code());
        assertEquals(4, StreamPurpose.DOWNLINK_NOISE.code());
        assertEquals(5, StreamPurpose.UPLINK_NOISE.code());
    }
}
