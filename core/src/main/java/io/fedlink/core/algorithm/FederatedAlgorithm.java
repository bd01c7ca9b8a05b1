package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.schedule.Scheduler;
import java.util.List;

/**
 * A federated algorithm as the runtime sees it: a pair of pure update rules (client and server) and
 * the few facts a runtime needs to drive them. Nothing else: the reference engine, the actors, the
 * cluster, checkpoints, the noisy mailbox and the command line work for any implementation unchanged.
 *
 * <p>Algorithms are service providers ({@link java.util.ServiceLoader}): a jar on the class path
 * whose {@code META-INF/services/io.fedlink.core.algorithm.FederatedAlgorithm} names a public class
 * with a public no-argument constructor adds one. The paper's four (SPEC section 4) and the
 * baselines `fedavg`, `fedprox` and `scaffold` are providers like any other. An implementation must
 * be stateless (a record with no components is the natural shape: it also gets equality by class);
 * everything that varies with a run comes through its {@link #options() options}, handed to the
 * rules as {@link AlgorithmSettings}.
 *
 * <p>Rules exchange vectors only: what a client uploads and what the server broadcasts are
 * {@code double[]} of the lengths declared here (L by default; longer when they carry more than the
 * model). The links perturb the whole vector, and the wire format carries any length, so no new
 * message class is ever needed.
 */
public interface FederatedAlgorithm {

    /** `admm`: standard ADMM with dual variables (SPEC 4.1, eqs. 5-6). */
    FederatedAlgorithm ADMM = new Admm();
    /** `dual-free`: ADMM with the dual variable eliminated, full participation only (SPEC 4.2). */
    FederatedAlgorithm DUAL_FREE = new DualFree();
    /** `rerce`: RERCE-Fed, dual-free with random scheduling (SPEC 4.3, eq. 12, Algorithm 4). */
    FederatedAlgorithm RERCE = new Rerce();
    /** `rerce-continual`: RERCE-Fed with continual local updates (SPEC 4.4, eqs. 13-14, Algorithm 5). */
    FederatedAlgorithm RERCE_CONTINUAL = new RerceContinual();

    /**
     * The name used on the command line and in output files, e.g. {@code rerce-continual}: lower-case
     * letters, digits and '-', starting with a letter; unique among the algorithms found.
     */
    String id();

    /** One line for {@code --help} and the list of algorithms. */
    default String description() {
        return "";
    }

    /** Who uploads in the start-up round 0 (default: the clients the scheduler selects for it). */
    default StartUp startUp() {
        return StartUp.SCHEDULED_CLIENTS;
    }

    /** True for an algorithm defined for C = K only (`dual-free`); such a series with C < K is refused. */
    default boolean requiresFullParticipation() {
        return false;
    }

    /** True when clients that are not polled still take their local step every round. */
    default boolean stepsWhenNotPolled() {
        return false;
    }

    /**
     * The length of what a client uploads (its start-up upload included) in a federation of model
     * dimension L: L unless the upload carries more than a model (SCAFFOLD's control variate).
     */
    default int uploadLength(int dimension) {
        return dimension;
    }

    /** The length of what the server broadcasts to the polled clients: L unless it carries more. */
    default int broadcastLength(int dimension) {
        return dimension;
    }

    /**
     * The algorithm's own settings, each a command-line flag {@code --NAME VALUE} with its default and
     * its validation (none by default). Names must not be one of fedlink's own flags; algorithms that
     * declare the same name share the flag.
     */
    default List<AlgorithmOption> options() {
        return List.of();
    }

    /**
     * Client k's rule, starting from w_{k,0} = wh_k (SPEC section 4).
     *
     * @param settings the values of {@link #options()}, validated
     */
    ClientRule newClient(ClientConstants constants, AlgorithmSettings settings);

    /** The server's rule, before round 0. */
    ServerRule newServer(ServerSetup setup);

    /**
     * Client k in {@code trials} trials at once, each slot starting from w_{k,0} = wh_k as
     * {@link #newClient} does: what engines that run blocks of trials use. Every slot must compute
     * exactly what its own {@link #newClient} rule would. The default is those rules side by side
     * ({@link ClientBlock#ofRules}); an algorithm overrides it to batch a round's work across the slots
     * (the paper's four multiply P_k, or its eigenvectors, with every polled slot's vector at once).
     *
     * @param settings the values of {@link #options()}, validated
     * @param trials   B >= 1
     */
    default ClientBlock newClientBlock(ClientConstants constants, AlgorithmSettings settings, int trials) {
        if (trials < 1) {
            throw new IllegalArgumentException("a block needs at least one trial, got " + trials);
        }
        final ClientRule[] rules = new ClientRule[trials];
        for (int t = 0; t < trials; t++) {
            rules[t] = newClient(constants, settings);
        }
        return ClientBlock.ofRules(rules);
    }

    /** Client k's rule with every option at its default. */
    default ClientRule newClient(ClientConstants constants) {
        return newClient(constants, AlgorithmSettings.defaults(this));
    }

    /**
     * The server's rule for K clients of dimension L, every client weighted alike, options at their
     * defaults.
     *
     * @param missing what an averaging server divides by when polled clients were not heard
     */
    default ServerRule newServer(int clients, int dimension, MissingUploads missing) {
        return newServer(ServerSetup.equalWeights(this, clients, dimension, missing));
    }

    /** The same with the default for missing uploads (the mean of those received). */
    default ServerRule newServer(int clients, int dimension) {
        return newServer(clients, dimension, MissingUploads.RECEIVED);
    }

    /** Who uploads in the start-up round 0. */
    enum StartUp {
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

    /**
     * The algorithm with this command-line name, among those found on the class path (of the current
     * thread's context class loader).
     *
     * @throws IllegalArgumentException naming every algorithm found when none has this name
     */
    static FederatedAlgorithm byId(String id) {
        return AlgorithmRegistry.current().byId(id);
    }

    /** The command-line names of every algorithm found, comma separated, the paper's four first. */
    static String ids() {
        return String.join(", ", AlgorithmRegistry.current().ids());
    }

    /** Every algorithm found: the paper's four in SPEC order, then the others by id. */
    static List<FederatedAlgorithm> all() {
        return AlgorithmRegistry.current().all();
    }
}
