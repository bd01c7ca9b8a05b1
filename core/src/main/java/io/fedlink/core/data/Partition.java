package io.fedlink.core.data;

import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.random.StreamKeys;
import io.fedlink.core.random.StreamPurpose;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the rows of a data file are shared among K clients, from the seed, reproducibly (the same on
 * every node of a cluster):
 * <ul>
 *   <li>{@code iid}: a random permutation of the rows cut into K contiguous shards of equal size (+-1);</li>
 *   <li>{@code sorted:COLUMN}: the rows ordered by a column (ties by row), cut the same way: the usual
 *       pathological non-IID split, each client holding one range of the column;</li>
 *   <li>{@code dirichlet:ALPHA}: the rows binned into 10 quantile bins of the target; each bin shared
 *       among the clients in proportions drawn from Dirichlet(ALPHA, ..., ALPHA) (small ALPHA: each
 *       client sees few target ranges); redrawn, from the same stream, until every client has a row.</li>
 * </ul>
 */
public sealed interface Partition permits Partition.Iid, Partition.Sorted, Partition.Dirichlet {

    /** Quantile bins of the target for {@code dirichlet}. */
    int BINS = 10;
    /** Draws of a Dirichlet partition before one that leaves a client without rows is given up. */
    int ATTEMPTS = 1000;

    /** The spec as {@code --partition} writes it. */
    String describe();

    /**
     * The client of every row.
     *
     * @param rows    N >= K
     * @param clients K
     * @param key     per row, what the partition orders by: the sort column ({@code sorted}), the target
     *                ({@code dirichlet}); not used by {@code iid}
     * @throws IllegalArgumentException when no assignment gives every client a row
     */
    int[] assign(int rows, int clients, double[] key, long seed);

    /** Parses {@code iid}, {@code sorted:COLUMN} or {@code dirichlet:ALPHA}. */
    static Partition parse(String spec) {
        final String s = spec.trim();
        final String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("iid")) {
            return new Iid();
        }
        if (lower.startsWith("sorted:") && s.length() > "sorted:".length()) {
            return new Sorted(s.substring("sorted:".length()).trim());
        }
        if (lower.startsWith("dirichlet:")) {
            final double alpha;
            try {
                alpha = Double.parseDouble(s.substring("dirichlet:".length()).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("dirichlet:ALPHA needs a number ALPHA > 0");
            }
            return new Dirichlet(alpha);
        }
        throw new IllegalArgumentException("expected iid, sorted:COLUMN or dirichlet:ALPHA");
    }

    /** Random equal shards. */
    record Iid() implements Partition {
        @Override
        public String describe() {
            return "iid";
        }

        @Override
        public int[] assign(int rows, int clients, double[] key, long seed) {
            final RandomStream rng = stream(seed);
            final int[] order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
            for (int i = rows - 1; i > 0; i--) {                    // Fisher-Yates
                final int j = rng.nextInt(i + 1);
                final int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            return shards(order, clients);
        }
    }

    /** Contiguous shards of the rows ordered by a column. */
    record Sorted(String column) implements Partition {
        public Sorted {
            if (column.isEmpty()) {
                throw new IllegalArgumentException("sorted:COLUMN needs a column name");
            }
        }

        @Override
        public String describe() {
            return "sorted:" + column;
        }

        @Override
        public int[] assign(int rows, int clients, double[] key, long seed) {
            return shards(ordered(key), clients);
        }
    }

    /** Target quantile bins shared in Dirichlet(ALPHA) proportions. */
    record Dirichlet(double alpha) implements Partition {
        public Dirichlet {
            if (!(alpha > 0.0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("dirichlet:ALPHA needs a number ALPHA > 0, got " + alpha);
            }
        }

        @Override
        public String describe() {
            return "dirichlet:" + SeriesSpec.format(alpha);
        }

        @Override
        public int[] assign(int rows, int clients, double[] key, long seed) {
            final RandomStream rng = stream(seed);
            final int[] byTarget = ordered(key);
            final int bins = Math.min(BINS, rows);
            final int[] assignment = new int[rows];
            final int[] held = new int[clients];
            final double[] share = new double[clients];
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Arrays.fill(held, 0);
                for (int b = 0; b < bins; b++) {
                    final int from = (int) ((long) b * rows / bins);
                    final int to = (int) ((long) (b + 1) * rows / bins);
                    final int[] bin = Arrays.copyOfRange(byTarget, from, to);
                    for (int i = bin.length - 1; i > 0; i--) {           // the bin's rows in random order
                        final int j = rng.nextInt(i + 1);
                        final int t = bin[i];
                        bin[i] = bin[j];
                        bin[j] = t;
                    }
                    double total = 0.0;
                    for (int k = 0; k < clients; k++) {
                        share[k] = gamma(alpha, rng);
                        total += share[k];
                    }
                    double cumulative = 0.0;
                    int start = 0;
                    for (int k = 0; k < clients; k++) {
                        cumulative += share[k];
                        final int end = k == clients - 1 ? bin.length
                                : (int) Math.min(bin.length, Math.round(bin.length * (cumulative / total)));
                        for (int i = start; i < end; i++) {
                            assignment[bin[i]] = k;
                        }
                        held[k] += Math.max(0, end - start);
                        start = Math.max(start, end);
                    }
                }
                if (Arrays.stream(held).allMatch(h -> h > 0)) {
                    return assignment;
                }
            }
            throw new IllegalArgumentException("dirichlet:" + SeriesSpec.format(alpha) + " left some client without "
                    + "a row in " + ATTEMPTS + " draws; raise ALPHA or lower --clients");
        }

        /**
         * Gamma(a, 1) by Marsaglia and Tsang (boosted by U^(1/a) for a < 1), with StrictMath so
         * that every JVM draws the same partition.
         */
        static double gamma(double a, RandomStream rng) {
            if (a < 1.0) {
                final double u = rng.nextDouble();
                return gamma(a + 1.0, rng) * StrictMath.pow(u, 1.0 / a);
            }
            final double d = a - 1.0 / 3.0;
            final double c = 1.0 / StrictMath.sqrt(9.0 * d);
            while (true) {
                final double x = rng.nextGaussian();
                final double t = 1.0 + c * x;
                if (t <= 0.0) {
                    continue;
                }
                final double v = t * t * t;
                final double u = rng.nextDouble();
                if (u < 1.0 - 0.0331 * (x * x) * (x * x)
                        || StrictMath.log(u) < 0.5 * x * x + d * (1.0 - v + StrictMath.log(v))) {
                    return d * v;
                }
            }
        }
    }

    private static RandomStream stream(long seed) {
        return StreamKeys.stream(seed, StreamKeys.NO_TRIAL, StreamPurpose.PARTITION, 0);
    }

    /** Row indexes ordered by key, ties by index. */
    private static int[] ordered(double[] key) {
        return java.util.stream.IntStream.range(0, key.length).boxed()
                .sorted((a, b) -> {
                    final int c = Double.compare(key[a], key[b]);
                    return c != 0 ? c : Integer.compare(a, b);
                })
                .mapToInt(Integer::intValue).toArray();
    }

    /** order cut into K contiguous shards, client k holding positions [k N / K, (k + 1) N / K). */
    private static int[] shards(int[] order, int clients) {
        final int rows = order.length;
        final int[] assignment = new int[rows];
        for (int k = 0; k < clients; k++) {
            final int from = (int) ((long) k * rows / clients);
            final int to = (int) ((long) (k + 1) * rows / clients);
            for (int p = from; p < to; p++) {
                assignment[order[p]] = k;
            }
        }
        return assignment;
    }
}
