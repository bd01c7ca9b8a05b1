package io.fedlink.core.engine;

import io.fedlink.core.data.DataGenerator;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.RegressionTable;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.schedule.Scheduler;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.List;

/**
 * Everything that defines an experiment: the federation (K, L, rho, the sample counts and the seed
 * that generate its data), the horizon, the number of Monte Carlo trials, the scheduling policy and
 * the series to compare. Data is drawn once per experiment (or read from a file: {@code table});
 * trials redraw only link noise and scheduling (SPEC section 6).
 *
 * @param table the data file the clients' data come from, or null for the paper's generator (then
 *              {@code samples} gives the sample counts; with a table, K and L are the table's)
 */
public record Experiment(
        int clients,
        int dimension,
        double rho,
        SampleCounts samples,
        int rounds,
        int trials,
        long seed,
        SchedulingPolicy scheduling,
        List<SeriesSpec> series,
        RegressionTable table) {

    /** An experiment on the paper's generated data. */
    public Experiment(int clients, int dimension, double rho, SampleCounts samples, int rounds, int trials, long seed,
                      SchedulingPolicy scheduling, List<SeriesSpec> series) {
        this(clients, dimension, rho, samples, rounds, trials, seed, scheduling, series, null);
    }

    public Experiment {
        if (clients < 1) {
            throw new IllegalArgumentException("K must be at least 1, got " + clients);
        }
        if (dimension < 2) {
            throw new IllegalArgumentException("L must be at least 2, got " + dimension);
        }
        if (!(rho > 0.0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be positive and finite, got " + rho);
        }
        if (rounds < 1 || trials < 1) {
            throw new IllegalArgumentException("rounds and trials must be at least 1, got " + rounds + " and " + trials);
        }
        if (table != null && (table.clientCount() != clients || table.dimension() != dimension)) {
            throw new IllegalArgumentException("the data file gives K = " + table.clientCount() + " and L = "
                    + table.dimension() + ", not " + clients + " and " + dimension);
        }
        series = List.copyOf(series);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("an experiment needs at least one series");
        }
        for (SeriesSpec s : series) {
            if (s.selected() > clients) {
                throw new IllegalArgumentException("C = " + s.selected() + " exceeds K = " + clients);
            }
            if (s.algorithm().requiresFullParticipation() && s.selected() != clients) {
                throw new IllegalArgumentException(s.algorithm().id() + " needs full participation (C = K = "
                        + clients + "), got C = " + s.selected() + "; use rerce for partial participation");
            }
        }
    }

    /** The scheduler of one series. */
    public Scheduler scheduler(SeriesSpec spec) {
        return scheduling.scheduler(spec.selected(), clients);
    }

    /** Generates (or reads) the experiment's data once and derives every client's constants and w*. */
    public FederatedProblem generateProblem() {
        return generateProblem(k -> { });
    }

    /** The same, telling {@code clientDone} how many clients are generated after each one. */
    public FederatedProblem generateProblem(java.util.function.IntConsumer clientDone) {
        if (table != null) {
            final io.fedlink.core.data.ClientData[] data = table.clients(0, clients - 1);
            return FederatedProblem.of(clients, dimension, k -> data[k], rho, null, clientDone);
        }
        return FederatedProblem.generate(seed, clients, dimension, samples, rho, clientDone);
    }

    /** d_k of every client, known without generating (or reading) any client's data: what a server node knows. */
    public int[] sampleCounts() {
        if (table != null) {
            return table.sampleCounts();
        }
        final DataGenerator generator = new DataGenerator(seed, dimension, samples);
        final int[] counts = new int[clients];
        for (int k = 0; k < clients; k++) {
            counts[k] = generator.sampleCount(k);
        }
        return counts;
    }

    /** The clients first..last's data only: generated from (seed, k), or the file's rows of those clients. */
    public io.fedlink.core.data.ClientData[] clientData(int first, int last) {
        if (table != null) {
            return table.clients(first, last);
        }
        final DataGenerator generator = new DataGenerator(seed, dimension, samples);
        final io.fedlink.core.data.ClientData[] out = new io.fedlink.core.data.ClientData[last - first + 1];
        for (int k = first; k <= last; k++) {
            out[k - first] = generator.client(k);
        }
        return out;
    }
}
