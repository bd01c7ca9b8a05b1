package io.fedlink.algorithms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.data.ClientData;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ReferenceFederation;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * Where the baselines go on noiseless links with every client polled, against closed forms from the
 * raw data. FedAvg with E local steps is a fixed-point iteration w -> sum_k a_k (A_k w + b_k) / sum_k a_k
 * with A_k = (I - eta_k H_k)^E and b_k = sum_{e<E} (I - eta_k H_k)^e eta_k g_k: its limit is
 * (sum a_k (I - A_k))^{-1} sum a_k b_k, not w* (client drift). SCAFFOLD's control variates remove
 * the drift: its limit is w* itself (eq. 3).
 */
class FixedPointTest {

    private static final Experiment EXPERIMENT = new Experiment(4, 3, 1.0, SampleCounts.uniform(4, 7), 1, 1, 8L,
            SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(new FedAvg(), 4, 0.0, 0.0)));
    private static final FederatedProblem PROBLEM = EXPERIMENT.generateProblem();

    private static double[] run(SeriesSpec series, int rounds) {
        final ReferenceFederation federation = new ReferenceFederation(EXPERIMENT, PROBLEM, series, 0);
        for (int n = 0; n < rounds; n++) {
            federation.runRound();
        }
        return federation.globalModel();
    }

    @Test
    void fedavgConvergesToItsDriftedFixedPointNotToWStar() {
        final int steps = 5;
        final double step = 0.7;
        final ClientData[] data = EXPERIMENT.clientData(0, 3);
        final int l = 3;
        final DMatrixRMaj lhs = new DMatrixRMaj(l, l);
        final DMatrixRMaj rhs = new DMatrixRMaj(l, 1);
        for (ClientData client : data) {
            final Dense dense = new Dense(client);
            final double eta = step / dense.largest;
            final DMatrixRMaj m = CommonOps_DDRM.identity(l);                 // I - eta H
            CommonOps_DDRM.addEquals(m, -eta, dense.hessian);
            DMatrixRMaj power = CommonOps_DDRM.identity(l);
            final DMatrixRMaj sum = new DMatrixRMaj(l, l);                    // sum_{e<E} M^e
            for (int e = 0; e < steps; e++) {
                CommonOps_DDRM.addEquals(sum, power);
                final DMatrixRMaj next = new DMatrixRMaj(l, l);
                CommonOps_DDRM.mult(power, m, next);
                power = next;
            }
            final double a = client.samples();
            final DMatrixRMaj iMinusA = CommonOps_DDRM.identity(l);
            CommonOps_DDRM.subtractEquals(iMinusA, power);
            CommonOps_DDRM.addEquals(lhs, a, iMinusA);
            final DMatrixRMaj b = new DMatrixRMaj(l, 1);
            CommonOps_DDRM.mult(sum, DMatrixRMaj.wrap(l, 1, dense.offset.clone()), b);
            CommonOps_DDRM.addEquals(rhs, a * eta, b);
        }
        final DMatrixRMaj fixed = new DMatrixRMaj(l, 1);
        CommonOps_DDRM.solve(lhs, rhs, fixed);

        final SeriesSpec fedavg = new SeriesSpec(new FedAvg(), 4, 0.0, 0.0, io.fedlink.core.link.ChannelSpec.AWGN,
                io.fedlink.core.link.ChannelSpec.AWGN, new io.fedlink.core.link.LinkBudget.Uniform(),
                io.fedlink.core.algorithm.MissingUploads.RECEIVED, io.fedlink.core.algorithm.AlgorithmSettings.of(
                        new FedAvg(), java.util.Map.of("local-steps", "5", "step-size", "0.7")));
        final double[] limit = run(fedavg, 3000);
        assertTrue(Dense.relativeError(limit, fixed.data) < 1e-8, "FedAvg's limit: "
                + Dense.relativeError(limit, fixed.data));
        assertTrue(Dense.relativeError(limit, PROBLEM.optimum()) > 1e-4, "and it is not w*: "
                + Dense.relativeError(limit, PROBLEM.optimum()));
    }

    @Test
    void scaffoldConvergesToWStar() {
        final double[] limit = run(new SeriesSpec(new Scaffold(), 4, 0.0, 0.0), 3000);
        assertTrue(Dense.relativeError(limit, PROBLEM.optimum()) < 1e-8, "SCAFFOLD's limit against w*: "
                + Dense.relativeError(limit, PROBLEM.optimum()));
    }
}
