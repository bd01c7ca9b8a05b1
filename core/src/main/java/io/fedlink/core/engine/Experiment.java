package io.fedlink.core.engine;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.schedule.Scheduler;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.List;

/**
 * Everything that defines an experiment: the federation (K, L, rho, the sample counts and the seed
 * that generate its data), the horizon, the number of Monte Carlo trials, the scheduling policy and
 * the series to compare. Data is drawn once per experiment; trials redraw only link noise and
 * scheduling (SPEC section 6).
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
        List<SeriesSpec> series) {

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

    /** Generates the experiment's data once and derives every client's constants and w*. */
    public FederatedProblem generateProblem() {
        return FederatedProblem.generate(seed, clients, dimension, samples, rho);
    }

    /** The same, telling {@code clientDone} how many clients are generated after each one. */
    public FederatedProblem generateProblem(java.util.function.IntConsumer clientDone) {
        return FederatedProblem.generate(seed, clients, dimension, samples, rho, clientDone);
    }
}
