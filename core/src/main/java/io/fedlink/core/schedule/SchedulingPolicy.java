package io.fedlink.core.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which scheduler an experiment uses; C is the number (or, for Bernoulli, the expected number) polled. */
public enum SchedulingPolicy {
    /** Exactly C of K, uniformly without replacement (the paper's, the default). */
    UNIFORM("uniform"),
    /** Each client independently with probability p = C / K. */
    BERNOULLI("bernoulli");

    private final String id;

    SchedulingPolicy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The scheduler polling C of K clients (in expectation for Bernoulli). */
    public Scheduler scheduler(int selected, int clients) {
        return switch (this) {
            case UNIFORM -> new UniformScheduler(selected);
            case BERNOULLI -> new BernoulliScheduler((double) selected / clients);
        };
    }

    public static SchedulingPolicy byId(String id) {
        final String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scheduler '" + id + "'; expected one of "
                        + Arrays.stream(values()).map(SchedulingPolicy::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
