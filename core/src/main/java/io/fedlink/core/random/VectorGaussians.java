package io.fedlink.core.random;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RandomStream#addGaussianNoise} on the JDK's Vector API: a vector's worth of the stream's draws
 * at a time goes through the ziggurat's rectangle test (two table gathers), which accepts all of them
 * about nine times in ten; the first draw it rejects, and everything after it, takes the scalar path.
 * The draws are read ahead into a buffer that the stream hands out first ({@link RandomStream#drawAhead}),
 * so a rejected draw's wedge or tail takes its extra draws from the very positions the scalar
 * {@link RandomStream#nextGaussian()} would: the variates, and the stream's state afterwards, are the
 * same bit for bit. Every variate takes at least one draw, so the n draws read ahead for n elements are
 * always all used.
 */
final class VectorGaussians {

    /** Shorter vectors are left to the scalar loop. */
    static final int MINIMUM_LENGTH = 16;

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = VectorSpecies.of(long.class, D.vectorShape());
    private static final VectorSpecies<Integer> I =
            VectorSpecies.of(int.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int V = D.length();

    /** Per thread: the draws read ahead and the layer indices of one vector. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        long[] draws = new long[256];
        final int[] layers = new int[V];
    }

    private VectorGaussians() {
    }

    static void add(RandomStream stream, double[] sent, double[] received, double deviation) {
        final int n = sent.length;
        final Scratch scratch = SCRATCH.get();
        if (scratch.draws.length < n) {
            scratch.draws = new long[Math.max(n, 2 * scratch.draws.length)];
        }
        final long[] draws = scratch.draws;
        final int[] layers = scratch.layers;
        final double[] edge = RandomStream.ZIGGURAT_EDGE;
        final double[] ratio = RandomStream.ZIGGURAT_RATIO;
        final DoubleVector scale = DoubleVector.broadcast(D, deviation);
        final boolean inPlace = received == sent;
        stream.drawAhead(draws, n);
        int i = 0;
        while (i + V <= n) {
            final int position = stream.pendingNext();
            if (position + V > stream.pendingEnd()) {
                break;                                    // fewer than a vector read ahead: one at a time
            }
            final LongVector bits = LongVector.fromArray(L, draws, position);
            bits.lanewise(VectorOperators.AND, RandomStream.ZIGGURAT_LAYERS - 1L)
                    .convertShape(VectorOperators.L2I, I, 0).reinterpretAsInts().intoArray(layers, 0);
            final DoubleVector u = ((DoubleVector) bits.lanewise(VectorOperators.ASHR, 11)
                    .convert(VectorOperators.L2D, 0)).mul(0x1.0p-52);               // uniform on [-1, 1)
            final VectorMask<Double> inside = u.abs().compare(VectorOperators.LT,
                    DoubleVector.fromArray(D, ratio, 0, layers, 0));
            final DoubleVector variates = u.mul(DoubleVector.fromArray(D, edge, 0, layers, 0));
            if (inside.allTrue()) {
                DoubleVector.fromArray(D, sent, i).add(scale.mul(variates)).intoArray(received, i);
                stream.consumePending(position + V);
                i += V;
                continue;
            }
            final int first = inside.not().firstTrue();
            if (inPlace) {
                for (int lane = 0; lane < first; lane++) {
                    final long draw = draws[position + lane];
                    received[i + lane] = sent[i + lane]
                            + deviation * (((draw >> 11) * 0x1.0p-52) * edge[(int) draw & (RandomStream.ZIGGURAT_LAYERS - 1)]);
                }
            } else {
                // The lanes from the rejected one on are wrong, and written again below, in order.
                DoubleVector.fromArray(D, sent, i).add(scale.mul(variates)).intoArray(received, i);
            }
            stream.consumePending(position + first + 1);
            received[i + first] = sent[i + first] + deviation * stream.gaussianAfter(draws[position + first]);
            i += first + 1;
        }
        for (; i < n; i++) {
            received[i] = sent[i] + deviation * stream.nextGaussian();
        }
        stream.endDrawAhead();
    }
}
