package io.fedlink.core.data;

import io.fedlink.core.linalg.VectorOps;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

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

    private FederatedProblem(List<ClientConstants> clients, double[] optimum, double[] trueModel) {
        this.clients = List.copyOf(clients);
        this.optimum = optimum;
        this.optimumSquaredNorm = VectorOps.squaredNorm(optimum);
        this.trueModel = trueModel;
    }

    /**
     * Generates the data of clients 0..K-1 once and derives the constants and w*. The raw data is
     * not kept: only the constants are needed from here on.
     */
    public static FederatedProblem generate(long seed, int clients, int dimension, SampleCounts counts, double rho) {
        if (clients < 1) {
            throw new IllegalArgumentException("the federation needs at least one client, got " + clients);
        }
        if (counts instanceof SampleCounts.PaperCounts && clients != SampleCounts.PAPER_CLIENTS) {
            throw new IllegalArgumentException("the paper's sample counts describe exactly "
                    + SampleCounts.PAPER_CLIENTS + " clients, not " + clients);
        }
        final DataGenerator generator = new DataGenerator(seed, dimension, counts);
        final ClientConstants[] constants = new ClientConstants[clients];
        final DMatrixRMaj gram = new DMatrixRMaj(dimension, dimension);
        final DMatrixRMaj moment = new DMatrixRMaj(dimension, 1);
        final DMatrixRMaj clientGram = new DMatrixRMaj(dimension, dimension);
        final DMatrixRMaj clientMoment = new DMatrixRMaj(dimension, 1);
        for (int k = 0; k < clients; k++) {
            final ClientData data = generator.client(k);
            constants[k] = ClientConstants.of(data, rho);
            CommonOps_DDRM.multInner(data.regressors(), clientGram);
            CommonOps_DDRM.addEquals(gram, data.weight(), clientGram);
            CommonOps_DDRM.multTransA(data.regressors(), data.observations(), clientMoment);
            CommonOps_DDRM.addEquals(moment, data.weight(), clientMoment);
        }
        return new FederatedProblem(List.of(constants), solveSpd(gram, moment), generator.trueModel());
    }

    /** Builds a problem from constants computed elsewhere (tests, or a node holding the full set). */
    public static FederatedProblem of(List<ClientConstants> clients, double[] optimum, double[] trueModel) {
        return new FederatedProblem(clients, optimum.clone(), trueModel.clone());
    }

    private static double[] solveSpd(DMatrixRMaj gram, DMatrixRMaj moment) {
        final LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(gram.numRows);
        if (!cholesky.setA(gram.copy())) {
            throw new IllegalStateException("sum_k X_k^T W_k X_k is singular: the federation holds "
                    + "too few samples to determine w* (need at least L in all)");
        }
        final DMatrixRMaj solution = new DMatrixRMaj(gram.numRows, 1);
        cholesky.solve(moment, solution);
        return solution.data.clone();
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
        return clients.get(clientId);
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

    /** omega, the parameter the data was generated from (not the reference of the metric). A copy. */
    public double[] trueModel() {
        return trueModel.clone();
    }

    /** Squared deviation ||w - w*||^2 of one model from w*, without copying w*. */
    public double squaredDeviation(double[] model) {
        return VectorOps.squaredDistance(model, optimum);
    }
}
