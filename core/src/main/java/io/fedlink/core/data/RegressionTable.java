package io.fedlink.core.data;

import io.fedlink.core.engine.SeriesSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A federation's data read from a regression table ({@code --data FILE --target COLUMN ...}): which
 * columns are features, target and row weight, the features' standardisation, and the partition of
 * the rows among the K clients. Opening a table reads the file to check it and to compute what every
 * node needs (the column statistics, the partition, whether w* is determined), and keeps no row:
 * {@link #clients(int, int)} reads it again and keeps only the rows of the clients asked for, which
 * is what a cluster's clients node does.
 *
 * <p>Conventions (README, "Data from a file"):
 * <ul>
 *   <li>Features are standardised, x -> (x - mean) / sd, with the mean and the (population) standard
 *       deviation of the whole file: a simulation convenience (a real federation could not see them),
 *       so that one --rho suits any data's units.</li>
 *   <li>{@code --intercept} appends a constant 1 as the last feature.</li>
 *   <li>The loss of client k is sum_i w_i (y_i - x_i^T w)^2 over its rows, with w_i the row's weight
 *       (1 without --weight): W_k = diag(w_i), folded into the rows (sqrt(w_i) x_i, sqrt(w_i) y_i) so
 *       that a client's data carry W_k = I.</li>
 *   <li>w* is the centralised weighted least-squares solution of the whole table (eq. 3), so the
 *       NMSE keeps its meaning; the table's true parameter is not known.</li>
 * </ul>
 */
public final class RegressionTable {

    private final TableReader reader;
    private final String target;
    private final List<String> features;
    private final String weight;
    private final boolean intercept;
    private final Partition partition;
    private final int clients;
    private final int[] columns;              // features, then target, then weight (if any): indexes into the file
    private final double[] mean;
    private final double[] deviation;
    private final int[] assignment;
    private final int[] samples;

    private RegressionTable(TableReader reader, String target, List<String> features, String weight, boolean intercept,
                            Partition partition, int clients, int[] columns, double[] mean, double[] deviation,
                            int[] assignment) {
        this.reader = reader;
        this.target = target;
        this.features = features;
        this.weight = weight;
        this.intercept = intercept;
        this.partition = partition;
        this.clients = clients;
        this.columns = columns;
        this.mean = mean;
        this.deviation = deviation;
        this.assignment = assignment;
        this.samples = new int[clients];
        for (int client : assignment) {
            samples[client]++;
        }
    }

    /**
     * Opens and checks a table.
     *
     * @param features the feature columns, or null for every column but the target and the weight
     * @param weight   the row-weight column, or null
     * @throws DataFileException naming the file, line and column of what is wrong: a missing column, a
     *                           cell that is not a number, a weight that is not positive, fewer rows
     *                           than clients, a constant feature, or features that do not determine w*
     */
    public static RegressionTable open(TableReader reader, String target, List<String> features, String weight,
                                       boolean intercept, Partition partition, int clients, long seed) {
        final String file = reader.name();
        final List<String> header = reader.columns();
        final String sortColumn = partition instanceof Partition.Sorted sorted ? sorted.column() : null;
        final List<String> chosen = new ArrayList<>();
        if (features != null) {
            chosen.addAll(features);
        } else {
            for (String column : header) {
                if (!column.equals(target) && !column.equals(weight)) {
                    chosen.add(column);
                }
            }
        }
        final List<String> seen = new ArrayList<>();
        for (String name : chosen) {
            if (name.equals(target) || name.equals(weight) || seen.contains(name)) {
                throw DataFileException.at(file, 1, name, name.equals(target) ? "the target cannot be a feature"
                        : name.equals(weight) ? "the weight column cannot be a feature" : "listed twice in --features");
            }
            seen.add(name);
        }
        if (chosen.isEmpty()) {
            throw new DataFileException(file + " line 1: no feature column (the header has " + String.join(", ", header)
                    + ")");
        }
        if (target.equals(weight)) {
            throw DataFileException.at(file, 1, target, "the target cannot be the weight column");
        }
        final int count = chosen.size();
        final int[] columns = new int[count + 1 + (weight != null ? 1 : 0) + (sortColumn != null ? 1 : 0)];
        for (int j = 0; j < count; j++) {
            columns[j] = index(file, header, chosen.get(j));
        }
        columns[count] = index(file, header, target);
        if (weight != null) {
            columns[count + 1] = index(file, header, weight);
        }
        if (sortColumn != null) {
            columns[columns.length - 1] = index(file, header, sortColumn);
        }

        // Pass 1: the column statistics (Welford, in row order: the same bits on every node), the
        // weights' signs, and what the partition orders by.
        final double[] mean = new double[count];
        final double[] m2 = new double[count];
        final double[] first = new double[count];
        final List<double[]> keys = new ArrayList<>();
        final int[] rows = {0};
        final boolean weighted = weight != null;
        final boolean sorted = sortColumn != null;
        reader.read(columns, (row, values) -> {
            final long n = row + 1L;
            for (int j = 0; j < count; j++) {
                final double x = values[j];
                if (row == 0) {
                    first[j] = x;
                }
                final double delta = x - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (x - mean[j]);
            }
            if (weighted && !(values[count + 1] > 0.0)) {
                throw DataFileException.at(file, row + 2L, weight, "the weight " + values[count + 1]
                        + " is not positive (a row's weight must be a number > 0)");
            }
            if (row % 4096 == 0) {
                keys.add(new double[4096]);
            }
            keys.get(row / 4096)[row % 4096] = sorted ? values[columns.length - 1] : values[count];
            rows[0]++;
        });
        final int n = rows[0];
        if (n < clients) {
            throw new DataFileException(file + ": " + n + " data rows (lines 2.." + (n + 1) + "), fewer than the "
                    + clients + " clients; every client needs at least one row (lower --clients)");
        }
        final double[] deviation = new double[count];
        for (int j = 0; j < count; j++) {
            deviation[j] = Math.sqrt(m2[j] / n);
            if (!(deviation[j] > 0.0) || !(deviation[j] > 1e-12 * Math.abs(mean[j]))) {
                throw DataFileException.at(file, 2, chosen.get(j), "the feature is constant (" + first[j]
                        + " on every row, lines 2.." + (n + 1) + "): it cannot be standardised and carries nothing "
                        + "an intercept would not (leave it out of --features; --intercept adds a constant)");
            }
        }
        final double[] key = new double[n];
        for (int r = 0; r < n; r++) {
            key[r] = keys.get(r / 4096)[r % 4096];
        }
        final int[] assignment;
        try {
            assignment = partition.assign(n, clients, key, seed);
        } catch (IllegalArgumentException e) {
            throw new DataFileException(file + ": --partition " + partition.describe() + ": " + e.getMessage());
        }
        final RegressionTable table = new RegressionTable(reader, target, List.copyOf(chosen), weight, intercept,
                partition, clients, columns, mean, deviation, assignment);
        table.checkDetermined();
        return table;
    }

    private static int index(String file, List<String> header, String column) {
        final int i = header.indexOf(column);
        if (i < 0) {
            throw DataFileException.at(file, 1, column, "no such column; the header has " + String.join(", ", header));
        }
        return i;
    }

    /**
     * Pass 2: sum_i w_i x_i x_i^T over every row (standardised), and a Cholesky factorisation column by
     * column: the first column whose pivot vanishes is a combination of those before it, and w* is
     * not determined.
     */
    private void checkDetermined() {
        final int l = dimension();
        final double[] gram = new double[l * l];
        final double[] x = new double[l];
        reader.read(columns, (row, values) -> {
            final double w = weightOf(values);
            standardise(values, x);
            for (int i = 0; i < l; i++) {
                final double wx = w * x[i];
                for (int j = 0; j < l; j++) {
                    gram[i * l + j] += wx * x[j];
                }
            }
        });
        final double[] factor = new double[l * l];
        for (int j = 0; j < l; j++) {
            double pivot = gram[j * l + j];
            for (int k = 0; k < j; k++) {
                pivot -= factor[j * l + k] * factor[j * l + k];
            }
            if (!(pivot > 1e-10 * gram[j * l + j])) {
                final String column = j < features.size() ? features.get(j) : "(intercept)";
                throw DataFileException.at(reader.name(), 1, column, "a linear combination of the feature columns "
                        + "before it (" + String.join(", ", featureNames().subList(0, j)) + "), so the weighted "
                        + "least-squares solution w* is not determined; leave it out of --features");
            }
            final double root = Math.sqrt(pivot);
            factor[j * l + j] = root;
            for (int i = j + 1; i < l; i++) {
                double v = gram[i * l + j];
                for (int k = 0; k < j; k++) {
                    v -= factor[i * l + k] * factor[j * l + k];
                }
                factor[i * l + j] = v / root;
            }
        }
    }

    private double weightOf(double[] values) {
        return weight != null ? values[features.size() + 1] : 1.0;
    }

    /** x = the row's standardised features (and the intercept's 1). */
    private void standardise(double[] values, double[] x) {
        for (int j = 0; j < features.size(); j++) {
            x[j] = (values[j] - mean[j]) / deviation[j];
        }
        if (intercept) {
            x[features.size()] = 1.0;
        }
    }

    /** L: the features, plus one for the intercept. */
    public int dimension() {
        return features.size() + (intercept ? 1 : 0);
    }

    /** K. */
    public int clientCount() {
        return clients;
    }

    /** The model's coordinates by name: the features, then {@code (intercept)}. */
    public List<String> featureNames() {
        final List<String> names = new ArrayList<>(features);
        if (intercept) {
            names.add("(intercept)");
        }
        return names;
    }

    /** The client of every data row (row 0 is line 2), a copy: what partition.csv lists. */
    public int[] partitionOfRows() {
        return assignment.clone();
    }

    /** d_k: the rows of each client, a copy. */
    public int[] sampleCounts() {
        return samples.clone();
    }

    /** The features' means and standard deviations over the whole file, in feature order (copies). */
    public double[][] standardisation() {
        return new double[][] {mean.clone(), deviation.clone()};
    }

    /**
     * Reads the file once more and keeps the rows of clients first..last only: their data, rows in
     * file order, features standardised, weights folded in (W_k = I).
     */
    public ClientData[] clients(int first, int last) {
        final int l = dimension();
        final double[][][] x = new double[last - first + 1][][];
        final double[][] y = new double[last - first + 1][];
        for (int k = first; k <= last; k++) {
            x[k - first] = new double[samples[k]][];
            y[k - first] = new double[samples[k]];
        }
        final int[] filled = new int[last - first + 1];
        reader.read(columns, (row, values) -> {
            final int k = assignment[row];
            if (k < first || k > last) {
                return;                                        // another client's row: not kept
            }
            final double root = Math.sqrt(weightOf(values));
            final double[] features = new double[l];
            standardise(values, features);
            for (int j = 0; j < l; j++) {
                features[j] *= root;
            }
            final int i = filled[k - first]++;
            x[k - first][i] = features;
            y[k - first][i] = root * values[this.features.size()];
        });
        final ClientData[] out = new ClientData[last - first + 1];
        for (int k = first; k <= last; k++) {
            final double[][] rows = x[k - first];
            final DMatrixRMaj regressors = new DMatrixRMaj(rows.length, l);
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, regressors.data, i * l, l);
            }
            out[k - first] = new ClientData(k, regressors, DMatrixRMaj.wrap(rows.length, 1, y[k - first]), 1.0);
        }
        return out;
    }

    /**
     * The flags that describe this table, as a command line gives them: {@code --data FILE --target Y
     * --features A,B --intercept --partition iid} (the weight when there is one).
     */
    public String arguments() {
        return "--data " + reader.name() + " --target " + target + " --features " + String.join(",", features)
                + (weight != null ? " --weight " + weight : "") + (intercept ? " --intercept" : "")
                + " --partition " + partition.describe();
    }

    /** What a cluster's nodes must agree on: the file's content (not its path), the columns and the partition. */
    public String fingerprint() {
        return "data#" + reader.digest() + " target=" + target + " features=" + String.join(",", features)
                + (weight != null ? " weight=" + weight : "") + (intercept ? " intercept" : "")
                + " partition=" + partition.describe();
    }

    public Partition partition() {
        return partition;
    }

    public String fileName() {
        return reader.name();
    }

    @Override
    public String toString() {
        return reader.name() + " (" + dimension() + " features" + ", " + assignment.length + " rows, "
                + partition.describe() + ", means " + Arrays.toString(mean) + ")";
    }

    /** For SeriesSpec.format's siblings: a number as typed. */
    static String format(double v) {
        return SeriesSpec.format(v);
    }
}
