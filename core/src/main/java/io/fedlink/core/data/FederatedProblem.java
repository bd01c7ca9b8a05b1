package io.fedlink.core.data;

import io.fedlink.core.linalg.VectorOps;
import java.util.List;

/**
 * Everything a simulation of one federation needs and that no trial changes: every client's
 * constants and the centralised WLS solution w* against which errors are measured.
 *
 * <pre>
 *   w* = (sum_k X_k^T W_k X_k)^{-1} (sum_k X_k^T W_k y_k)      (3)
 * </pre>
 */
public final class FederatedProblem {

    private final List<ClientConstants> clients;
    private final double[] optimum;
    private final double optimumSquaredNorm;
    private final double[] trueModel;
    private final int[] samples;

    private FederatedProblem(List<ClientConstants> clients, double[] optimum, double[] trueModel, int[] samples) {
        if (samples.length != clients.size()) {
            throw new IllegalArgumentException(samples.length + " sample counts for " + clients.size() + " clients");
        }
        this.clients = clients;                       // immutable: List.of, List.copyOf or nCopies
        this.optimum = optimum;
        this.optimumSquaredNorm = VectorOps.squaredNorm(optimum);
        this.trueModel = trueModel;
        this.samples = samples;
    }

    /**
     * Generates the data of clients 0..K-1 once and derives the constants and w*. The raw data is
     * not kept: only the constants are needed from here on.
     */
    public static FederatedProblem generate(long seed, int clients, int dimension, SampleCounts counts, double rho) {
        return generate(seed, clients, dimension, counts, rho, k -> { });
    }

    /**
     * As {@link #generate(long, int, int, SampleCounts, double)}, telling {@code clientDone} the
     * number of clients generated so far after each one (for progress at large K).
     */
    public static FederatedProblem generate(long seed, int clients, int dimension, SampleCounts counts, double rho,
                                            java.util.function.IntConsumer clientDone) {
        if (clients < 1) {
            throw new IllegalArgumentException("the federation needs at least one client, got " + clients);
        }
        if (counts instanceof SampleCounts.PaperCounts && clients != SampleCounts.PAPER_CLIENTS) {
            throw new IllegalArgumentException("the paper's sample counts describe exactly "
                    + SampleCounts.PAPER_CLIENTS + " clients, not " + clients);
        }
        final DataGenerator generator = new DataGenerator(seed, dimension, counts);
        return of(clients, dimension, generator::client, rho, generator.trueModel(), clientDone);
    }

    /**
     * The problem of clients 0..K-1 whose data come from {@code data} (generated, or read from a file):
     * their constants and w*; the data themselves are not kept.
     *
     * @param trueModel the parameter the data came from, or null when it is not known (a file)
     */
    public static FederatedProblem of(int clients, int dimension, java.util.function.IntFunction<ClientData> data,
                                      double rho, double[] trueModel, java.util.function.IntConsumer clientDone) {
        final ClientConstants[] constants = new ClientConstants[clients];
        final int[] samples = new int[clients];
        final OptimumAccumulator optimum = new OptimumAccumulator(dimension);
        // One thread: building clients in parallel (each has its own stream) was slower in a fresh
        // JVM on 2 cores (paper-fig4: 0.61 s against 0.44 s), the JIT compiler being starved of the
        // core it needs to compile the linear algebra in the first place.
        for (int k = 0; k < clients; k++) {
            final ClientData client = data.apply(k);
            constants[k] = ClientConstants.of(client, rho);
            samples[k] = client.samples();
            optimum.add(ClientStatistics.of(client));
            clientDone.accept(k + 1);
        }
        final double[] solution = optimum.solve();
        return new FederatedProblem(List.of(constants), solution,
                trueModel != null ? trueModel : new double[solution.length], samples);
    }

    /**
     * A problem known only by its size and w*: what a cluster's server holds, while every client's
     * constants live on that client's node. {@link #client} is refused.
     */
    public static FederatedProblem withoutClients(int[] samples, double[] optimum) {
        final java.util.List<ClientConstants> absent = java.util.Collections.nCopies(samples.length, null);
        return new FederatedProblem(absent, optimum.clone(), new double[optimum.length], samples.clone());
    }

    /** Builds a problem from constants computed elsewhere (tests, or a node holding the full set). */
    public static FederatedProblem of(List<ClientConstants> clients, double[] optimum, double[] trueModel,
                                      int[] samples) {
        return new FederatedProblem(List.copyOf(clients), optimum.clone(), trueModel.clone(), samples.clone());
    }

    /** d_k of every client, a copy: what a server may weight uploads by. */
    public int[] sampleCounts() {
        return samples.clone();
    }

    /** K. */
    public int clientCount() {
        return clients.size();
    }

    /** L. */
    public int dimension() {
        return optimum.length;
    }

    /** Client k's constants. */
    public ClientConstants client(int clientId) {
        final ClientConstants constants = clients.get(clientId);
        if (constants == null) {
            throw new IllegalStateException("client " + clientId + "'s constants live on its own node");
        }
        return constants;
    }

    /** All clients' constants in id order. */
    public List<ClientConstants> clients() {
        return clients;
    }

    /** w*, the centralised WLS solution (3). A copy. */
    public double[] optimum() {
        return optimum.clone();
    }

    /** ||w*||^2, the normaliser of the NMSE. */
    public double optimumSquaredNorm() {
        return optimumSquaredNorm;
    }

    /**
     * omega, the parameter the data was generated from (not the reference of the metric); zeros for
     * data read from a file, whose parameter is not known. A copy.
     */
    public double[] trueModel() {
        return trueModel.clone();
    }

    /**
     * The largest eigenvalue of any client's P_k = rho N_k: 1 when some client's samples do not span
     * R^L (P_k is the identity on the rest), else max_k rho / (rho + 2 w s_min,k). It bounds how far a
     * client moves from its local solution per round: far below 1 / T, no client moves in T rounds
     * and the federation has nothing to do (SPEC 7.3). Needs every client's constants.
     */
    public double largestPenalisedEigenvalue() {
        double largest = 0.0;
        for (int k = 0; k < clients.size(); k++) {
            final io.fedlink.core.linalg.Eigenbasis basis = client(k).dataEigenbasis();
            if (basis.rank() < dimension()) {
                return 1.0;
            }
            for (double p : basis.eigenvalues()) {
                largest = Math.max(largest, p);
            }
        }
        return largest;
    }

    /** Squared deviation ||w - w*||^2 of one model from w*, without copying w*. */
    public double squaredDeviation(double[] model) {
        return VectorOps.squaredDistance(model, optimum);
    }
}
