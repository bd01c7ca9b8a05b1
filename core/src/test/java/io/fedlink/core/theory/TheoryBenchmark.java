package io.fedlink.core.theory;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.metric.Nmse;
import java.util.Locale;

/**
 * Wall time of the exact prediction (not a test: surefire does not pick it up, and no test asserts
 * on time). Usage, from core/ after {@code mvn test-compile}:
 * <pre>
 *   java -Xmx8g -cp target/classes:target/test-classes:EJML_JARS io.fedlink.core.theory.TheoryBenchmark \
 *       K L [rounds=400] [C=K/4] [repeats=3] [paper]
 * </pre>
 * Prints the time of each repeat (the first includes JIT warm-up), the predicted steady state, and
 * the heap in use after the run. Data: d_k from SampleCounts.defaultFor(K), rho = 1, seed 1, links
 * at 6.25e-4. With "paper" it also times the paper's approximation (SPEC 7.1). With
 * {@code -Dsequential=true} the exact route runs on one thread (it otherwise spreads the pair terms
 * over the common fork-join pool from K = 16 on).
 */
public final class TheoryBenchmark {

    private TheoryBenchmark() {
    }

    public static void main(String[] args) {
        final int clients = Integer.parseInt(args[0]);
        final int dimension = Integer.parseInt(args[1]);
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        final int selected = args.length > 3 ? Integer.parseInt(args[3]) : Math.max(1, clients / 4);
        final int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        final boolean paper = args.length > 5 && args[5].equals("paper");
        final FederatedProblem problem =
                FederatedProblem.generate(1L, clients, dimension, SampleCounts.defaultFor(clients), 1.0);
        final LinkVariances links = LinkVariances.uniform(clients, 6.25e-4, 6.25e-4);
        for (int r = 0; r < repeats; r++) {
            final long start = System.nanoTime();
            final RerceMeanSquareTheory theory = Boolean.getBoolean("sequential")
                    ? RerceMeanSquareTheory.sequential(problem, selected, links)
                    : RerceMeanSquareTheory.of(problem, selected, links);
            final double[] curve = theory.learningCurve(rounds);
            final double seconds = (System.nanoTime() - start) / 1e9;
            final Runtime runtime = Runtime.getRuntime();
            System.out.println(String.format(Locale.ROOT,
                    "exact K=%d L=%d C=%d rounds=%d: %.3f s (%.2f ms/round), steady state %.3f dB, heap used %d MiB",
                    clients, dimension, selected, rounds, seconds, 1e3 * seconds / rounds, Nmse.steadyStateDb(curve),
                    (runtime.totalMemory() - runtime.freeMemory()) >> 20));
        }
        if (paper) {
            final long start = System.nanoTime();
            final PaperApproximation.Estimate estimate = PaperApproximation.of(problem, selected, links).estimate(rounds);
            System.out.println(String.format(Locale.ROOT, "paper's approximation: %.3f s, %s dB, growth factor %.6f",
                    (System.nanoTime() - start) / 1e9, estimate.steadyStateDb(), estimate.growthFactor()));
        }
    }
}
