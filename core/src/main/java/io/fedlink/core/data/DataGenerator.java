package io.fedlink.core.data;

import io.fedlink.core.random.RandomStream;
import io.fedlink.core.random.StreamKeys;
import io.fedlink.core.random.StreamPurpose;
import org.ejml.data.DMatrixRMaj;

/**
 * The synthetic, non-IID regression data of the paper's experiments (SPEC section 6).
 *
 * <p>omega comes from the experiment's {@link StreamPurpose#TRUE_MODEL} stream; client k's data
 * from its own {@link StreamPurpose#CLIENT_DATA} stream keyed by (seed, k). A cluster node can
 * therefore generate exactly its own clients and nothing else, and obtain the same numbers as a
 * single JVM that generates all of them.
 */
public final class DataGenerator {

    /** Variance of the observation noise nu_k (standard deviation 0.01). */
    public static final double OBSERVATION_NOISE_VARIANCE = 1e-4;
    /** W_k = (inverse observation-noise variance) I. */
    public static final double WEIGHT = 1.0 / OBSERVATION_NOISE_VARIANCE;

    private final long seed;
    private final int dimension;
    private final SampleCounts sampleCounts;
    private final double[] trueModel;

    public DataGenerator(long seed, int dimension, SampleCounts sampleCounts) {
        if (dimension < 2) {
            // omega is centred: with L = 1 it would be zero and the NMSE undefined.
            throw new IllegalArgumentException("dimension L must be at least 2, got " + dimension);
        }
        this.seed = seed;
        this.dimension = dimension;
        this.sampleCounts = sampleCounts;
        this.trueModel = drawTrueModel(seed, dimension);
    }

    /** omega: L i.i.d. N(0,1) entries, centred, then scaled to unit mean power. A copy. */
    public double[] trueModel() {
        return trueModel.clone();
    }

    public int dimension() {
        return dimension;
    }

    /** d_k, client k's sample count: the first draw of its stream (or the paper's count), without its data. */
    public int sampleCount(int clientId) {
        if (sampleCounts instanceof SampleCounts.PaperCounts paper) {
            return paper.count(clientId);
        }
        final SampleCounts.UniformRange range = (SampleCounts.UniformRange) sampleCounts;
        return StreamKeys.stream(seed, StreamKeys.NO_TRIAL, StreamPurpose.CLIENT_DATA, clientId)
                .nextIntInclusive(range.min(), range.max());
    }

    /** Client k's data, drawn from its own stream; the same for every caller with the same seed. */
    public ClientData client(int clientId) {
        final RandomStream rng = StreamKeys.stream(seed, StreamKeys.NO_TRIAL, StreamPurpose.CLIENT_DATA, clientId);
        final int samples;
        if (sampleCounts instanceof SampleCounts.PaperCounts paper) {
            samples = paper.count(clientId);
        } else {
            final SampleCounts.UniformRange range = (SampleCounts.UniformRange) sampleCounts;
            samples = rng.nextIntInclusive(range.min(), range.max());
        }
        final double mean = rng.nextDouble(-0.5, 0.5);
        final double deviation = Math.sqrt(rng.nextDouble(0.5, 1.5));
        final DMatrixRMaj x = new DMatrixRMaj(samples, dimension);
        final double[] xs = x.data;
        for (int i = 0; i < xs.length; i++) {
            xs[i] = mean + deviation * rng.nextGaussian();
        }
        final DMatrixRMaj y = new DMatrixRMaj(samples, 1);
        final double noiseDeviation = Math.sqrt(OBSERVATION_NOISE_VARIANCE);
        for (int r = 0; r < samples; r++) {
            double dot = 0.0;
            final int row = r * dimension;
            for (int c = 0; c < dimension; c++) {
                dot += xs[row + c] * trueModel[c];
            }
            y.data[r] = dot + noiseDeviation * rng.nextGaussian();
        }
        return new ClientData(clientId, x, y, WEIGHT);
    }

    private static double[] drawTrueModel(long seed, int dimension) {
        final RandomStream rng = StreamKeys.stream(seed, StreamKeys.NO_TRIAL, StreamPurpose.TRUE_MODEL, 0);
        final double[] omega = new double[dimension];
        double sum = 0.0;
        for (int i = 0; i < dimension; i++) {
            omega[i] = rng.nextGaussian();
            sum += omega[i];
        }
        final double mean = sum / dimension;
        double power = 0.0;
        for (int i = 0; i < dimension; i++) {
            omega[i] -= mean;
            power += omega[i] * omega[i];
        }
        final double scale = 1.0 / Math.sqrt(power / dimension);
        for (int i = 0; i < dimension; i++) {
            omega[i] *= scale;
        }
        return omega;
    }
}
