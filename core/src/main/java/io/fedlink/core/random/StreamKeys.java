package io.fedlink.core.random;

/**
 * The fixed mixing function of the determinism contract: every random stream of an experiment is
 * named by (root seed, trial, purpose, client id) and derived from those four numbers alone.
 *
 * <p>Because a stream depends on nothing else (not on thread scheduling, not on the order in which
 * actors start, not on the node that hosts a client), the reference engine, the actor runtime and a
 * multi-JVM cluster all draw the same numbers.
 */
public final class StreamKeys {

    /** Stands in for the trial of streams that belong to the experiment, not to one trial (data). */
    public static final int NO_TRIAL = -1;

    private StreamKeys() {
    }

    /** The stream named by (seed, trial, purpose, client id). */
    public static RandomStream stream(long seed, int trial, StreamPurpose purpose, int clientId) {
        return new RandomStream(key(seed, trial, purpose, clientId));
    }

    /** The 64-bit key of the stream named by (seed, trial, purpose, client id). */
    public static long key(long seed, int trial, StreamPurpose purpose, int clientId) {
        long h = mix64(seed ^ 0x6A09E667F3BCC908L);
        h = mix64(h ^ (purpose.code() * 0xBB67AE8584CAA73BL));
        h = mix64(h ^ ((trial + 1L) * 0x3C6EF372FE94F82BL));
        h = mix64(h ^ ((clientId + 1L) * 0xA54FF53A5F1D36F1L));
        return h;
    }

    /** SplitMix64's finaliser (Stafford's variant 13): a bijective avalanche of 64 bits. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
