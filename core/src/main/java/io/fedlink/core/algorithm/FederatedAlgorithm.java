package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.schedule.Scheduler;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The four algorithms of SPEC section 4, each a pair of pure update rules (client and server) plus
 * the facts a runtime needs to drive them: who uploads at start-up, whether full participation is
 * required, whether unpolled clients step.
 */
public enum FederatedAlgorithm {

    /** Standard ADMM with dual variables (SPEC 4.1, eqs. 5-6). */
    ADMM("admm", StartUp.ALL_CLIENTS, false, false) {
        @Override
        public ClientRule newClient(ClientConstants constants) {
            return new AdmmClient(constants);
        }

        @Override
        public ServerRule newServer(int clients, int dimension, MissingUploads missing) {
            return new AveragingServer(clients, dimension, missing);
        }
    },

    /** ADMM with the dual variable eliminated, full participation only (SPEC 4.2, eqs. 9-11). */
    DUAL_FREE("dual-free", StartUp.ALL_CLIENTS, true, false) {
        @Override
        public ClientRule newClient(ClientConstants constants) {
            return new RerceClient(constants);
        }

        @Override
        public ServerRule newServer(int clients, int dimension, MissingUploads missing) {
            return new ExtrapolatingServer(clients, dimension, missing);
        }
    },

    /** RERCE-Fed: dual-free with random scheduling (SPEC 4.3, eq. 12, Algorithm 4). */
    RERCE("rerce", StartUp.SCHEDULED_CLIENTS, false, false) {
        @Override
        public ClientRule newClient(ClientConstants constants) {
            return new RerceClient(constants);
        }

        @Override
        public ServerRule newServer(int clients, int dimension, MissingUploads missing) {
            return new ExtrapolatingServer(clients, dimension, missing);
        }
    },

    /** RERCE-Fed with continual local updates (SPEC 4.4, eqs. 13-14, Algorithm 5). */
    RERCE_CONTINUAL("rerce-continual", StartUp.ALL_CLIENTS, false, true) {
        @Override
        public ClientRule newClient(ClientConstants constants) {
            return new ContinualRerceClient(constants);
        }

        @Override
        public ServerRule newServer(int clients, int dimension, MissingUploads missing) {
            return new ContinualServer(clients, dimension);
        }
    };

    /** Who uploads in the start-up round 0. */
    public enum StartUp {
        /** Every client uploads its start vector. */
        ALL_CLIENTS,
        /** Only the clients the scheduler selects for round 0. */
        SCHEDULED_CLIENTS;

        /**
         * The clients that upload in round 0: every available one, or the scheduler's selection (which
         * then takes the first draws of the trial's scheduling stream). Every engine starts a trial here.
         *
         * @param available ids of the clients that can take part, ascending; not modified
         * @return ascending ids; {@code available} itself when everyone starts
         */
        public int[] participants(int[] available, Scheduler scheduler, RandomStream schedule) {
            return this == ALL_CLIENTS ? available : scheduler.select(available, schedule);
        }
    }

    private final String id;
    private final StartUp startUp;
    private final boolean requiresFullParticipation;
    private final boolean stepsWhenNotPolled;

    FederatedAlgorithm(String id, StartUp startUp, boolean requiresFullParticipation, boolean stepsWhenNotPolled) {
        this.id = id;
        this.startUp = startUp;
        this.requiresFullParticipation = requiresFullParticipation;
        this.stepsWhenNotPolled = stepsWhenNotPolled;
    }

    /** Client k's rule, starting from w_{k,0} = wh_k. */
    public abstract ClientRule newClient(ClientConstants constants);

    /**
     * The server's rule for K clients of dimension L, before round 0.
     *
     * @param missing what an averaging server divides by when polled clients were not heard
     */
    public abstract ServerRule newServer(int clients, int dimension, MissingUploads missing);

    /** The server's rule with the default for missing uploads (the mean of those received). */
    public ServerRule newServer(int clients, int dimension) {
        return newServer(clients, dimension, MissingUploads.RECEIVED);
    }

    /** The name used on the command line and in output files, e.g. {@code rerce-continual}. */
    public String id() {
        return id;
    }

    public StartUp startUp() {
        return startUp;
    }

    /** True for `dual-free`, which is defined for C = K only. */
    public boolean requiresFullParticipation() {
        return requiresFullParticipation;
    }

    /** True when clients that are not polled still take their local step every round. */
    public boolean stepsWhenNotPolled() {
        return stepsWhenNotPolled;
    }

    /** The algorithm with this command-line name. */
    public static FederatedAlgorithm byId(String id) {
        final String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(a -> a.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown algorithm '" + id + "'; expected one of " + ids()));
    }

    /** The command-line names of all algorithms, comma separated. */
    public static String ids() {
        return Arrays.stream(values()).map(FederatedAlgorithm::id).collect(Collectors.joining(", "));
    }

    /** All algorithms in declaration order. */
    public static List<FederatedAlgorithm> all() {
        return List.of(values());
    }

    @Override
    public String toString() {
        return id;
    }
}
