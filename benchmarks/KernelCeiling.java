import io.fedlink.core.linalg.VectorOps;
import io.fedlink.core.random.RandomStream;
import java.util.Locale;

/**
 * The rates of the two kernels the paper's figures spend their arithmetic in, alone on one core: the
 * batched product ys[t] = P xs[t] ({@link VectorOps#multiply(double[][], double[][], double[][], int)}) with
 * P of L x L, and the link noise ({@link RandomStream#addGaussianNoise}). With the products and variates
 * a figure needs, they give the least time any engine can take for it on this machine with these kernels
 * (docs/performance.md, "How fast the figures can be").
 *
 * <pre>
 *   java -cp examples/target/fedlink.jar benchmarks/KernelCeiling.java [L] [K]
 * </pre>
 *
 * L (default 128) is the dimension; K (default 100) the matrices the products cycle through, as a round
 * cycles through its clients' P_k (K = 1 keeps one matrix in the core's caches). Each rate is the best
 * of five timed passes after three warm-up passes.
 */
public final class KernelCeiling {

    private static final int[] BATCHES = {1, 2, 4, 12, 25};

    public static void main(String[] args) {
        final int dimension = argument(args, 0, 128);
        final int matrices = argument(args, 1, 100);
        final RandomStream random = new RandomStream(1L);
        final double[][][] p = new double[matrices][dimension][dimension];
        for (double[][] matrix : p) {
            for (double[] column : matrix) {
                for (int i = 0; i < dimension; i++) {
                    column[i] = random.nextGaussian();
                }
            }
        }
        System.out.printf(Locale.ROOT, "batched product, L = %d, cycling through %d matri%s of %d KiB:%n", dimension,
                matrices, matrices == 1 ? "x" : "ces", dimension * dimension * 8 / 1024);
        for (int batch : BATCHES) {
            final double[][] xs = VectorOps.zeros(batch, dimension);
            final double[][] ys = VectorOps.zeros(batch, dimension);
            for (double[] x : xs) {
                for (int i = 0; i < dimension; i++) {
                    x[i] = random.nextGaussian();
                }
            }
            final long products = Math.max(1, 20_000_000L / ((long) dimension * dimension)) * 25;
            final int passes = (int) (products / batch);
            double best = Double.MAX_VALUE;
            for (int timing = 0; timing < 8; timing++) {
                final long start = System.nanoTime();
                for (int pass = 0; pass < passes; pass++) {
                    VectorOps.multiply(p[pass % matrices], xs, ys, batch);
                }
                final double seconds = (System.nanoTime() - start) / 1e9;
                if (timing >= 3) {
                    best = Math.min(best, seconds);
                }
            }
            final double flops = 2.0 * dimension * dimension * (double) passes * batch;
            System.out.printf(Locale.ROOT, "  %2d vector(s) per pass: %6.1f GFLOP/s%n", batch, flops / best / 1e9);
        }
        final double[] sent = new double[dimension];
        final double[] received = new double[dimension];
        final int vectors = 200_000_000 / dimension / 10;
        double best = Double.MAX_VALUE;
        for (int timing = 0; timing < 8; timing++) {
            final long start = System.nanoTime();
            for (int v = 0; v < vectors; v++) {
                random.addGaussianNoise(sent, received, 0.025);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (timing >= 3) {
                best = Math.min(best, seconds);
            }
        }
        System.out.printf(Locale.ROOT, "link noise: %.2f ns per variate (vectors of %d)%n",
                best * 1e9 / ((double) vectors * dimension), dimension);
    }

    private static int argument(String[] args, int index, int absent) {
        if (index >= args.length) {
            return absent;
        }
        try {
            final int value = Integer.parseInt(args[index]);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        System.err.println("KernelCeiling: argument " + (index + 1) + " is " + args[index]
                + "; expected a whole number >= 1");
        System.err.println("usage: KernelCeiling [L] [K]");
        System.exit(2);
        return absent;
    }
}
