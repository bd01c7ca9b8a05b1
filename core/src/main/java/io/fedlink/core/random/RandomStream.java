package io.fedlink.core.random;

/**
 * One deterministic random stream: xoshiro256++ seeded through SplitMix64, with Gaussian variates
 * from Marsaglia's polar method.
 *
 * <p>The generator is written out here rather than taken from {@code java.util.random} so that a
 * stream's output is fixed by this file alone, whatever JDK runs it: the determinism contract
 * (ARCHITECTURE.md) promises bit-identical curves from one seed, across engines and machines.
 *
 * <p>A stream is consumed by exactly one owner in a fixed order and is not thread-safe.
 */
public final class RandomStream {

    private long s0;
    private long s1;
    private long s2;
    private long s3;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    /** A stream whose whole state is expanded from one 64-bit key by SplitMix64. */
    public RandomStream(long key) {
        long x = key;
        x += 0x9E3779B97F4A7C15L;
        s0 = StreamKeys.mix64(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = StreamKeys.mix64(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = StreamKeys.mix64(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = StreamKeys.mix64(x);
        if ((s0 | s1 | s2 | s3) == 0) {
            s0 = 1; // xoshiro's one forbidden state
        }
    }

    /** The next 64 uniformly distributed bits (xoshiro256++). */
    public long nextLong() {
        final long result = Long.rotateLeft(s0 + s3, 23) + s0;
        final long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform on [low, high). */
    public double nextDouble(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** Uniform on {0, ..., bound - 1}, unbiased (rejection on the top 63 bits). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        final long m = bound - 1L;
        long u = nextLong() >>> 1;
        long r = u % bound;
        while (u - r + m < 0) {
            u = nextLong() >>> 1;
            r = u % bound;
        }
        return (int) r;
    }

    /** Uniform on the integers {low, ..., high}, both included. */
    public int nextIntInclusive(int low, int high) {
        return low + nextInt(high - low + 1);
    }

    /** Standard normal variate (Marsaglia's polar method; the second value of a pair is kept). */
    public double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * nextDouble() - 1.0;
            v = 2.0 * nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        // StrictMath: Math.log may differ by an ulp between JVMs and CPUs; the streams must not.
        final double scale = Math.sqrt(-2.0 * StrictMath.log(s) / s);
        spareGaussian = v * scale;
        hasSpareGaussian = true;
        return u * scale;
    }
}
