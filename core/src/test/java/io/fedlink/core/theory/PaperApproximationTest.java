package io.fedlink.core.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paper's approximate recursion (SPEC 7.1): checked against its own definition written out
 * densely, then reported beside the exact prediction at K = L = 6. It is never asserted against
 * simulation. What is asserted is what was measured to hold: with C < K its mean-square recursion
 * (independent Bernoulli indicators, A_n independent of the state) is unstable on this problem,
 * growth factor 1.27 to 1.43, so it predicts no steady state at all; at C = K it is marginally
 * stable, finite, and within 0.3 dB of the exact route when both links are noisy (its uplink-only
 * value is 0.48 dB off and is only printed).
 */
class PaperApproximationTest {

    private static FederatedProblem smallProblem() {
        return FederatedProblem.generate(5L, 3, 2, SampleCounts.uniform(1, 2), 1.0);
    }

    /** A_n literally from SPEC 7.1's blocks, for indicators a (round n), b (n-1), c (n-2). */
    private static DMatrixRMaj transition(FederatedProblem problem, int selected, int a, int b, int c) {
        final int k = problem.clientCount();
        final int l = problem.dimension();
        final DMatrixRMaj m = new DMatrixRMaj(2 * k * l, 2 * k * l);
        for (int i = 0; i < k; i++) {
            final DMatrixRMaj p = problem.client(i).penalisedMatrix();
            final double ai = bit(a, i);
            for (int j = 0; j < k; j++) {
                final double top = 2.0 * ai * bit(b, j) / selected;          // [A1]_ij (and its diagonal part)
                final double right = -ai * bit(c, j) / selected;             // [A2]_ij
                for (int x = 0; x < l; x++) {
                    for (int y = 0; y < l; y++) {
                        double v = top * p.get(x, y);
                        if (i == j) {
                            v += (x == y ? 1.0 : 0.0) - ai * p.get(x, y);  // I - a_i P_i
                        }
                        m.set(i * l + x, j * l + y, v);
                        m.set(i * l + x, (k + j) * l + y, right * p.get(x, y));
                    }
                }
            }
            for (int x = 0; x < l; x++) {
                m.set((k + i) * l + x, i * l + x, 1.0);                      // bottom-left identity
            }
        }
        return m;
    }

    private static double bit(int mask, int i) {
        return (mask >> i) & 1;
    }

    private static double probability(int mask, int clients, double p) {
        final int ones = Integer.bitCount(mask);
        return Math.pow(p, ones) * Math.pow(1.0 - p, clients - ones);
    }

    @ParameterizedTest(name = "C = {0}")
    @CsvSource({"1", "2", "3"})
    void blockRecursionEqualsExpectationOverIndependentBernoulliIndicators(int selected) {
        final FederatedProblem problem = smallProblem();
        final int k = problem.clientCount();
        final double p = (double) selected / k;
        final PaperApproximation paper = PaperApproximation.of(problem, selected, LinkVariances.noiseless(k));
        BlockMoment moment = paper.start();
        for (int round = 0; round < 5; round++) {
            final DMatrixRMaj r = moment.toDense();
            final DMatrixRMaj expected = new DMatrixRMaj(r.numRows, r.numCols);
            final DMatrixRMaj ar = new DMatrixRMaj(r.numRows, r.numCols);
            for (int a = 0; a < (1 << k); a++) {
                for (int b = 0; b < (1 << k); b++) {
                    for (int c = 0; c < (1 << k); c++) {
                        final double weight = probability(a, k, p) * probability(b, k, p) * probability(c, k, p);
                        final DMatrixRMaj m = transition(problem, selected, a, b, c);
                        CommonOps_DDRM.mult(m, r, ar);
                        CommonOps_DDRM.multAddTransB(weight, ar, m, expected);
                    }
                }
            }
            final BlockMoment next = new BlockMoment(2 * k, problem.dimension());
            paper.step(moment, next, false);
            final DMatrixRMaj d = next.toDense();
            CommonOps_DDRM.subtractEquals(d, expected);
            assertTrue(NormOps_DDRM.normF(d) < 1e-12 * NormOps_DDRM.normF(expected), "round " + round);
            moment = next;
        }
    }

    @ParameterizedTest(name = "uplink {0}, downlink {1}")
    @CsvSource({"0.0, 0.0", "6.25e-4, 6.25e-4", "0.01, 0.01", "0.01, 0.0", "0.0, 0.01"})
    void isReportedBesideTheExactPrediction(double uplink, double downlink) {
        final FederatedProblem problem = SmallScaleProblem.get();
        final int clients = SmallScaleProblem.CLIENTS;
        for (int selected = 2; selected <= clients; selected++) {
            final TheoryReport report =
                    RerceTheory.predict(problem, selected, uplink, downlink, SmallScaleProblem.ROUNDS);
            System.out.println(String.format(Locale.ROOT,
                    "paper-approximation C=%d up=%s down=%s: exact %.3f dB, paper's approximation %s "
                            + "(growth factor of its recursion %.6f)",
                    selected, uplink, downlink, report.steadyStateDb(),
                    report.paper().diverges() ? "diverges" : String.format(Locale.ROOT, "%.3f dB, gap %+.3f dB",
                            report.paperApproximationDb(), report.paperApproximationDb() - report.steadyStateDb()),
                    report.paper().growthFactor()));
            if (selected < clients) {
                assertTrue(report.paper().diverges(), "C = " + selected);
                assertEquals(Double.POSITIVE_INFINITY, report.paperApproximationDb());
            } else {
                assertFalse(report.paper().diverges());
                assertTrue(Double.isFinite(report.paperApproximationDb()));
                if (uplink == downlink) {
                    assertEquals(report.steadyStateDb(), report.paperApproximationDb(), 0.3);
                }
            }
        }
    }

    @Test
    void reportCarriesTheExactCurve() {
        final FederatedProblem problem = SmallScaleProblem.get();
        final TheoryReport report = RerceTheory.predict(problem, 3, 1e-2, 1e-2, 50);
        final double[] exact = RerceMeanSquareTheory.of(problem, 3, 1e-2, 1e-2).learningCurve(50);
        assertArrayEquals(exact, report.nmse());
        assertEquals(50, report.rounds());
    }
}
