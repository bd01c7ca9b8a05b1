package io.fedlink.core.theory;

import io.fedlink.core.data.FederatedProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The affine model of one `rerce` round written out densely and literally, row by row as SPEC 7.2
 * states it: e' = B(a) e + v with the (K+2)L x (K+2)L matrix B(a) and the noise covariance V(a) for
 * one selection a. Independent of {@link RerceMeanSquareTheory}'s block algebra, it serves as the
 * oracle of that algebra: the expectation over selections is an exact average over all C-subsets,
 * and the model can also be sampled (Monte Carlo of the affine system itself).
 */
final class DenseRerceModel {

    final int clients;
    final int dimension;
    final int selected;
    final int size;
    final DMatrixRMaj[] penalised;
    final double[] uplink;
    final double[] downlink;
    final double[][] startDeviation;
    final double[] optimum;
    final double optimumSquaredNorm;
    final List<boolean[]> selections;

    DenseRerceModel(FederatedProblem problem, int selected, LinkVariances links) {
        this.clients = problem.clientCount();
        this.dimension = problem.dimension();
        this.selected = selected;
        this.size = (clients + 2) * dimension;
        this.penalised = new DMatrixRMaj[clients];
        this.startDeviation = new double[clients][];
        this.optimum = problem.optimum();
        this.optimumSquaredNorm = problem.optimumSquaredNorm();
        for (int k = 0; k < clients; k++) {
            penalised[k] = problem.client(k).penalisedMatrix();
            startDeviation[k] = problem.client(k).localSolution().clone();
            for (int i = 0; i < dimension; i++) {
                startDeviation[k][i] -= optimum[i];
            }
        }
        this.uplink = links.uplinkVariances();
        this.downlink = links.downlinkVariances();
        this.selections = new ArrayList<>();
        subsets(new boolean[clients], 0, 0);
    }

    private void subsets(boolean[] chosen, int from, int count) {
        if (count == selected) {
            selections.add(chosen.clone());
            return;
        }
        for (int k = from; k < clients; k++) {
            chosen[k] = true;
            subsets(chosen, k + 1, count + 1);
            chosen[k] = false;
        }
    }

    private void put(DMatrixRMaj target, int blockRow, int blockCol, double alpha, DMatrixRMaj block) {
        for (int i = 0; i < dimension; i++) {
            for (int j = 0; j < dimension; j++) {
                target.add(blockRow * dimension + i, blockCol * dimension + j, alpha * block.get(i, j));
            }
        }
    }

    private DMatrixRMaj identity() {
        return CommonOps_DDRM.identity(dimension);
    }

    /** B(a), literally from the client, global and previous-global rows. */
    DMatrixRMaj transition(boolean[] a) {
        final int g = clients;
        final int h = clients + 1;
        final DMatrixRMaj b = new DMatrixRMaj(size, size);
        final DMatrixRMaj i = identity();
        for (int k = 0; k < clients; k++) {
            if (a[k]) {
                final DMatrixRMaj keep = new DMatrixRMaj(dimension, dimension);
                CommonOps_DDRM.subtract(i, penalised[k], keep);
                put(b, k, k, 1.0, keep);                         // (I - P_k) e_k
                put(b, k, g, 2.0, penalised[k]);                 // + 2 P_k e_g
                put(b, k, h, -1.0, penalised[k]);                // - P_k e_h
                put(b, g, k, 1.0 / selected, keep);              // global: (1/C) of the same row
                put(b, g, g, 2.0 / selected, penalised[k]);
                put(b, g, h, -1.0 / selected, penalised[k]);
            } else {
                put(b, k, k, 1.0, i);
            }
        }
        put(b, h, g, 1.0, i);                                    // e_h' = e_g
        return b;
    }

    /** V(a) = E[v v^T | a]. */
    DMatrixRMaj noise(boolean[] a) {
        final int g = clients;
        final DMatrixRMaj v = new DMatrixRMaj(size, size);
        for (int k = 0; k < clients; k++) {
            if (!a[k]) {
                continue;
            }
            final DMatrixRMaj pp = new DMatrixRMaj(dimension, dimension);
            CommonOps_DDRM.mult(penalised[k], penalised[k], pp);
            put(v, k, k, downlink[k], pp);
            put(v, k, g, downlink[k] / selected, pp);
            put(v, g, k, downlink[k] / selected, pp);
            put(v, g, g, downlink[k] / ((double) selected * selected), pp);
            put(v, g, g, uplink[k] / ((double) selected * selected), identity());
        }
        return v;
    }

    /** E over the round-0 selection and uplink noise of e_0 e_0^T. */
    DMatrixRMaj start() {
        final DMatrixRMaj r = new DMatrixRMaj(size, size);
        for (boolean[] a : selections) {
            final DMatrixRMaj e = startMean(a);
            CommonOps_DDRM.multAddTransB(1.0 / selections.size(), e, e, r);
            for (int k = 0; k < clients; k++) {
                if (a[k]) {
                    put(r, clients, clients, uplink[k] / ((double) selected * selected) / selections.size(), identity());
                }
            }
        }
        return r;
    }

    /** e_0 without its uplink noise, for round-0 selection a. */
    DMatrixRMaj startMean(boolean[] a) {
        final DMatrixRMaj e = new DMatrixRMaj(size, 1);
        for (int k = 0; k < clients; k++) {
            for (int i = 0; i < dimension; i++) {
                e.set(k * dimension + i, 0, startDeviation[k][i]);
                if (a[k]) {
                    e.add(clients * dimension + i, 0, startDeviation[k][i] / selected);
                }
            }
        }
        for (int i = 0; i < dimension; i++) {
            e.set((clients + 1) * dimension + i, 0, -optimum[i]);
        }
        return e;
    }

    /** E_a[B(a) R B(a)^T + V(a)], the exact average over every C-subset. */
    DMatrixRMaj step(DMatrixRMaj r) {
        final DMatrixRMaj next = new DMatrixRMaj(size, size);
        final DMatrixRMaj br = new DMatrixRMaj(size, size);
        final double weight = 1.0 / selections.size();
        for (boolean[] a : selections) {
            final DMatrixRMaj b = transition(a);
            CommonOps_DDRM.mult(b, r, br);
            CommonOps_DDRM.multAddTransB(weight, br, b, next);
            CommonOps_DDRM.addEquals(next, weight, noise(a));
        }
        return next;
    }

    double nmse(DMatrixRMaj r) {
        double sum = 0.0;
        for (int i = 0; i < clients * dimension; i++) {
            sum += r.get(i, i);
        }
        return sum / (clients * optimumSquaredNorm);
    }

    double nmseOfState(DMatrixRMaj e) {
        double sum = 0.0;
        for (int i = 0; i < clients * dimension; i++) {
            sum += e.get(i, 0) * e.get(i, 0);
        }
        return sum / (clients * optimumSquaredNorm);
    }

    /** A uniformly random C-subset. */
    boolean[] draw(Random rng) {
        return selections.get(rng.nextInt(selections.size()));
    }

    /** One sampled trajectory of the affine system: the NMSE after rounds 1..T. */
    double[] sample(int rounds, Random rng) {
        final boolean[] a0 = draw(rng);
        final DMatrixRMaj e = startMean(a0);
        // round-0 uplink noise of the selected clients enters the global block only
        for (int k = 0; k < clients; k++) {
            if (a0[k]) {
                for (int i = 0; i < dimension; i++) {
                    e.add(clients * dimension + i, 0, Math.sqrt(uplink[k]) * rng.nextGaussian() / selected);
                }
            }
        }
        final double[] curve = new double[rounds];
        final DMatrixRMaj next = new DMatrixRMaj(size, 1);
        for (int n = 0; n < rounds; n++) {
            final boolean[] a = draw(rng);
            CommonOps_DDRM.mult(transition(a), e, next);
            for (int k = 0; k < clients; k++) {
                if (!a[k]) {
                    continue;
                }
                final double[] zeta = new double[dimension];
                for (int i = 0; i < dimension; i++) {
                    zeta[i] = Math.sqrt(downlink[k]) * rng.nextGaussian();
                }
                for (int i = 0; i < dimension; i++) {
                    double pz = 0.0;
                    for (int j = 0; j < dimension; j++) {
                        pz += penalised[k].get(i, j) * zeta[j];
                    }
                    next.add(k * dimension + i, 0, pz);
                    next.add(clients * dimension + i, 0,
                            (pz + Math.sqrt(uplink[k]) * rng.nextGaussian()) / selected);
                }
            }
            e.setTo(next);
            curve[n] = nmseOfState(e);
        }
        return curve;
    }
}
