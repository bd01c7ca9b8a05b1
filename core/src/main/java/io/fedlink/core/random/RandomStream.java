package io.fedlink.core.random;

/**
 * One deterministic random stream: xoshiro256++ seeded through SplitMix64, with Gaussian variates
 * from a 256-layer ziggurat (Marsaglia and Tsang 2000, in Doornik's 2005 form: the layer index
 * and the uniform come from disjoint bits of one 64-bit draw).
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

    /**
     * Standard normal variate. About 99% of calls cost one 64-bit draw, a table lookup and a
     * multiplication; the rest test a wedge or sample the tail beyond r (see {@link #gaussianAfter}).
     * Link noise draws L of these per vector, so this is on the simulation's hot path: the polar
     * method it replaces spent most of its time in the logarithm.
     */
    public double nextGaussian() {
        final long bits = nextLong();
        final int layer = (int) bits & (ZIGGURAT_LAYERS - 1);              // bits 0-7
        final double u = (bits >> 11) * 0x1.0p-52;                       // bits 11-63: uniform on [-1, 1)
        if (Math.abs(u) < ZIGGURAT_RATIO[layer]) {
            return u * ZIGGURAT_EDGE[layer];                             // inside the layer's rectangle
        }
        return gaussianAfter(bits);
    }

    /**
     * received[i] = sent[i] + deviation * N(0, 1) for i = 0..n-1 in order, n = sent.length: the
     * variates {@link #nextGaussian()} gives, drawn in the same order, with the same arithmetic.
     *
     * @param sent     not modified
     * @param received overwritten; may be {@code sent} itself
     */
    public void addGaussianNoise(double[] sent, double[] received, double deviation) {
        // nextLong and nextGaussian written out on a copy of the state in locals: the JIT keeps it in
        // registers instead of storing and reloading four fields per variate (15% faster on L = 128).
        // The rare variate that needs the wedge or the tail hands the state back to the stream for it.
        long a = s0;
        long b = s1;
        long c = s2;
        long d = s3;
        for (int i = 0; i < sent.length; i++) {
            final long bits = Long.rotateLeft(a + d, 23) + a;
            final long t = b << 17;
            c ^= a;
            d ^= b;
            b ^= c;
            a ^= d;
            c ^= t;
            d = Long.rotateLeft(d, 45);
            final int layer = (int) bits & (ZIGGURAT_LAYERS - 1);
            final double u = (bits >> 11) * 0x1.0p-52;
            final double g;
            if (Math.abs(u) < ZIGGURAT_RATIO[layer]) {
                g = u * ZIGGURAT_EDGE[layer];
            } else {
                s0 = a;
                s1 = b;
                s2 = c;
                s3 = d;
                g = gaussianAfter(bits);
                a = s0;
                b = s1;
                c = s2;
                d = s3;
            }
            received[i] = sent[i] + deviation * g;
        }
        s0 = a;
        s1 = b;
        s2 = c;
        s3 = d;
    }

    /**
     * The ziggurat from a first draw {@code bits} on (Marsaglia and Tsang's loop): the rectangle test,
     * then the tail (layer 0) or the wedge, drawing again from this stream until a variate is accepted.
     */
    private double gaussianAfter(long bits) {
        long draw = bits;
        while (true) {
            final int layer = (int) draw & (ZIGGURAT_LAYERS - 1);
            final double u = (draw >> 11) * 0x1.0p-52;
            if (Math.abs(u) < ZIGGURAT_RATIO[layer]) {
                return u * ZIGGURAT_EDGE[layer];
            }
            if (layer == 0) {
                return gaussianTail(u < 0.0);
            }
            final double x = u * ZIGGURAT_EDGE[layer];
            final double outer = ZIGGURAT_EDGE[layer];
            final double inner = ZIGGURAT_EDGE[layer + 1];
            // f(x_i) / f(x) and f(x_{i+1}) / f(x): under the curve in the wedge?
            if (underCurve(-0.5 * (outer * outer - x * x), -0.5 * (inner * inner - x * x), nextDouble())) {
                return x;
            }
            draw = nextLong();
        }
    }

    /**
     * The wedge test f1 + v (f0 - f1) < 1 with f0 = exp(a0), f1 = exp(a1) as StrictMath computes them.
     * Math.exp (an intrinsic, within 1 ulp like StrictMath's fdlibm) decides it whenever the sum is
     * further than {@value #WEDGE_MARGIN} from 1: the two exponentials differ by at most 2 ulp (of
     * numbers below 2.1 here), which moves the sum by less than 1e-14, so the decision is StrictMath's.
     * Closer to 1, StrictMath decides. Either way the variate returned is the same.
     */
    private static boolean underCurve(double a0, double a1, double v) {
        final double e0 = Math.exp(a0);
        final double e1 = Math.exp(a1);
        final double quick = e1 + v * (e0 - e1);
        if (Math.abs(quick - 1.0) > WEDGE_MARGIN) {
            return quick < 1.0;
        }
        final double f0 = StrictMath.exp(a0);
        final double f1 = StrictMath.exp(a1);
        return f1 + v * (f0 - f1) < 1.0;
    }

    /** Where the quick wedge test defers to StrictMath: 10^4 times the largest difference it can have. */
    private static final double WEDGE_MARGIN = 1e-10;

    /** Marsaglia's tail method for |x| > r, on the side {@code negative} chooses. */
    private double gaussianTail(boolean negative) {
        double x;
        double y;
        do {
            x = StrictMath.log(nextOpenDouble()) / ZIGGURAT_R;
            y = StrictMath.log(nextOpenDouble());
        } while (-2.0 * y < x * x);
        return negative ? x - ZIGGURAT_R : ZIGGURAT_R - x;
    }

    /** Uniform on (0, 1]: never 0, for logarithms. */
    private double nextOpenDouble() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    private static final int ZIGGURAT_LAYERS = 256;
    /** r: where the base layer's rectangle ends and the tail begins. */
    private static final double ZIGGURAT_R = 3.6541528853610088;
    /** v: the area of every layer under f(x) = exp(-x^2 / 2), the base layer's tail included. */
    private static final double ZIGGURAT_AREA = 4.92867323399e-3;
    /** x_0 = v / f(r) (the base layer's virtual width), x_1 = r > x_2 > ... > x_256 = 0. */
    static final double[] ZIGGURAT_EDGE = new double[ZIGGURAT_LAYERS + 1];
    /** x_{i+1} / x_i: the share of layer i that lies wholly under the curve. */
    static final double[] ZIGGURAT_RATIO = new double[ZIGGURAT_LAYERS];

    static {
        // StrictMath, so that the tables, and with them every variate, are the same on every JVM.
        ZIGGURAT_EDGE[0] = ZIGGURAT_AREA / StrictMath.exp(-0.5 * ZIGGURAT_R * ZIGGURAT_R);
        ZIGGURAT_EDGE[1] = ZIGGURAT_R;
        for (int i = 1; i < ZIGGURAT_LAYERS - 1; i++) {
            final double edge = ZIGGURAT_EDGE[i];
            // each layer's rectangle x_i (f(x_{i+1}) - f(x_i)) has area v
            ZIGGURAT_EDGE[i + 1] = StrictMath.sqrt(-2.0 * StrictMath.log(
                    ZIGGURAT_AREA / edge + StrictMath.exp(-0.5 * edge * edge)));
        }
        ZIGGURAT_EDGE[ZIGGURAT_LAYERS] = 0.0;
        for (int i = 0; i < ZIGGURAT_LAYERS; i++) {
            ZIGGURAT_RATIO[i] = ZIGGURAT_EDGE[i + 1] / ZIGGURAT_EDGE[i];
        }
    }
}
