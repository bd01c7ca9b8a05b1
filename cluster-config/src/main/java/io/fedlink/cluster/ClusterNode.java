package io.fedlink.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.fedlink.actors.ActorEngine;
import io.fedlink.actors.ExperimentCheckpoint;
import io.fedlink.actors.FederationMode;
import io.fedlink.actors.SystemTermination;
import io.fedlink.actors.RoundObserver;
import io.fedlink.core.Numerics;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.link.LinkBudget;
import io.fedlink.protocol.serialization.KryoProtocolSerializer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two kinds of cluster node, as entry points: the server node (coordinator singleton, and each
 * trial's server, scheduler and monitor) and a clients node (a range of client actors and their data).
 */
public final class ClusterNode {

    /** The ActorSystem name every node of a Fedlink cluster shares. */
    public static final String SYSTEM = "fedlink";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private ClusterNode() {
    }

    /**
     * What a node's client data come from, and how many trials it will be asked for: every node of one
     * experiment must agree on it, or the clients on different nodes would belong to different
     * federations (and a node would refuse trials it does not know).
     */
    static String federation(Experiment experiment) {
        return "seed=" + experiment.seed() + " K=" + experiment.clients() + " L=" + experiment.dimension()
                + " rho=" + experiment.rho() + (experiment.table() != null ? " " + experiment.table().fingerprint()
                : " samples=" + experiment.samples().describe())
                + " trials=" + experiment.trials() + " " + Numerics.describe() + " series=" + experiment.series()
                .stream().map(ClusterNode::seriesLinks).collect(Collectors.joining("; ", "[", "]"));
    }

    /**
     * A series as a clients node needs it: algorithm, noise, channels, link budget. A budget file is
     * named by its content, not its path, so that nodes on different machines may keep it anywhere.
     */
    static String seriesLinks(SeriesSpec series) {
        // Every setting of the algorithm, not only those the label shows (defaults may differ between
        // versions of a plug-in on different nodes).
        final String label = series.label() + (series.settings().isEmpty() ? "" : " [" + series.settings().describe() + "]");
        if (series.linkBudget() instanceof LinkBudget.FromFile file) {
            return label.replace("budget=" + file.describe(), "budget=table#" + digest(file.table()));
        }
        return label;
    }

    /** The first 8 bytes of the SHA-256 of the table's numbers (their IEEE bits), in hex. */
    private static String digest(double[][] table) {
        try {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            final ByteBuffer bits = ByteBuffer.allocate(Double.BYTES);
            for (double[] row : table) {
                for (double v : row) {
                    sha.update(bits.clear().putDouble(v).array());
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * What watches a server node (the dashboard): told once the node's actor system is up, and of
     * every round. It is handed read-only views and must not hold up the node.
     */
    public interface ServerWatch {

        /**
         * The node's actor system has started (it is joining the cluster; no experiment runs yet).
         *
         * @param nodes the clients nodes as the coordinator lists them
         */
        void started(ActorSystem<Void> system, ClientsNodes nodes);

        /** Told of every round of every trial (see {@link ActorEngine#observing}), or null. */
        RoundObserver rounds();
    }

    /** TLS material for Artery's tls-tcp transport with mutual authentication. */
    public record Tls(String keyStore, String trustStore, String password) {
    }

    /**
     * The node's configuration: the given overrides, then role, address and seed nodes, then
     * fedlink-cluster.conf, then every module's reference.conf.
     *
     * @param seedNodes host:port of each seed node
     * @param overrides HOCON paths and values from --set, applied last
     */
    public static Config config(String role, String host, int port, List<String> seedNodes, Tls tls,
                                Map<String, String> overrides) {
        final List<String> seeds = new ArrayList<>();
        for (String seed : seedNodes) {
            seeds.add("pekko://" + SYSTEM + "@" + seed.trim());
        }
        Config config = ConfigFactory.empty()
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of(role)))
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds));
        if (tls != null) {
            final String ssl = "pekko.remote.artery.ssl.config-ssl-engine.";
            config = config
                    .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
                    .withValue(ssl + "key-store", ConfigValueFactory.fromAnyRef(tls.keyStore()))
                    .withValue(ssl + "trust-store", ConfigValueFactory.fromAnyRef(tls.trustStore()))
                    .withValue(ssl + "key-store-password", ConfigValueFactory.fromAnyRef(tls.password()))
                    .withValue(ssl + "key-password", ConfigValueFactory.fromAnyRef(tls.password()))
                    .withValue(ssl + "trust-store-password", ConfigValueFactory.fromAnyRef(tls.password()))
                    .withValue(ssl + "protocol", ConfigValueFactory.fromAnyRef("TLSv1.3"))
                    .withValue(ssl + "enabled-algorithms",
                            ConfigValueFactory.fromIterable(List.of("TLS_AES_256_GCM_SHA384")))
                    .withValue(ssl + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true))
                    .withValue(ssl + "hostname-verification", ConfigValueFactory.fromAnyRef(false));
        }
        Config top = ConfigFactory.empty();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            top = ConfigFactory.parseString(e.getKey() + " = " + e.getValue()).withFallback(top);
        }
        final Config resolved = ConfigFactory.systemProperties()
                .withFallback(top)
                .withFallback(config)
                .withFallback(ConfigFactory.parseResources(ClusterNode.class.getClassLoader(), "fedlink-cluster.conf"))
                .withFallback(ConfigFactory.defaultReference(ClusterNode.class.getClassLoader()))
                .resolve();
        ServerDowningProvider.check(resolved, overrides.keySet());
        return resolved;
    }

    /** The address this node's transport binds: Artery's bind address, which defaults to the canonical one. */
    public static InetSocketAddress bindAddress(Config config) {
        final String artery = "pekko.remote.artery.";
        final String host = config.getString(artery + "bind.hostname");
        final String port = config.getString(artery + "bind.port");
        return InetSocketAddress.createUnresolved(
                host.isEmpty() ? config.getString(artery + "canonical.hostname") : host,
                port.isEmpty() ? config.getInt(artery + "canonical.port") : Integer.parseInt(port));
    }

    /**
     * Why this node could not bind its address, or null when it can: a port in use is found before
     * any actor starts, and named.
     */
    public static String bindProblem(Config config) {
        final InetSocketAddress address = bindAddress(config);
        if (address.getPort() == 0) {
            return null;                                     // any free port
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address.getHostString(), address.getPort()));
            return null;
        } catch (IOException e) {
            return address.getHostString() + ":" + address.getPort() + " cannot be bound (" + e.getMessage() + ")";
        }
    }

    /** The node's transport could not bind its address (taken between {@link #bindProblem} and the start). */
    public static final class AddressInUse extends RuntimeException {
        AddressInUse(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static ActorSystem<Void> start(Config config) {
        try {
            return ActorSystem.create(Behaviors.empty(), SYSTEM, config);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException
                        || t.getMessage() != null && t.getMessage().startsWith("Failed to bind")) {
                    final InetSocketAddress address = bindAddress(config);
                    throw new AddressInUse(address.getHostString() + ":" + address.getPort() + " cannot be bound ("
                            + t.getMessage() + ")", e);
                }
            }
            throw e;
        }
    }

    /**
     * Runs the experiment from the server node: waits until clients nodes have brought every client
     * 0..K-1 (and its statistics), computes w*, runs every trial with the clients on their nodes, then
     * tells the nodes the experiment is over and waits (at most fedlink.cluster.leave-timeout) for
     * them to leave before it leaves itself, so that every node hears the end.
     *
     * @param checkpoint completed trials and round states are kept there, and a restarted server
     *                   resumes from it; null for none
     * @throws TimeoutException if the clients did not all arrive within fedlink.cluster.join-timeout
     */
    public static List<SeriesResult> runServer(Config config, Experiment experiment, ProgressListener listener,
                                               ExperimentCheckpoint checkpoint)
            throws TimeoutException, InterruptedException, IOException {
        return runServer(config, experiment, listener, checkpoint, null, results -> { });
    }

    /** What the server node does with the experiment's results before it stops its actor system. */
    @FunctionalInterface
    public interface ResultsHandler {
        void handle(List<SeriesResult> results) throws IOException;
    }

    /**
     * Waits until the nodes that sent every client's statistics are admitted (each is admitted once the
     * server sees it Up, which may come after its statistics), at most {@code bound}: a trial starts with the
     * clients of the nodes admitted then, so starting before would run the first trials without some of
     * them and change their curves (the likely cause of a restarted server whose resumed curves once
     * differed from the uninterrupted run's from round 1 on: a new server learns the members' states anew).
     * Past the bound the run starts with those admitted, as after a node loss.
     *
     * @return true if every client's node was admitted within the bound
     */
    static boolean awaitAdmitted(NodeDirectory directory, int clients, Duration bound) throws InterruptedException {
        final CompletableFuture<Void> admitted = new CompletableFuture<>();
        final Runnable check = () -> {
            if (directory.clientCount() >= clients) {
                admitted.complete(null);
            }
        };
        directory.onChange(check);
        check.run();
        try {
            admitted.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.warn("the clients nodes are admitted with {} of the {} clients after {}; the trials start with those",
                    directory.clientCount(), clients, bound);
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The same, watched, with the results handed over before the node's actor system stops: Pekko 1.7 can
     * take the whole of {@link io.fedlink.actors.SystemTermination#BOUND} to stop it (Artery waiting on a
     * connection), and the results must not wait for that.
     *
     * @param watch    told when the node is up and of every round (the dashboard), or null
     * @param whenDone given the results once the clients nodes have left, before the actor system stops
     */
    public static List<SeriesResult> runServer(Config config, Experiment experiment, ProgressListener listener,
                                               ExperimentCheckpoint checkpoint, ServerWatch watch,
                                               ResultsHandler whenDone)
            throws TimeoutException, InterruptedException, IOException {
        final ActorSystem<Void> system = start(config);
        try {
            final NodeDirectory directory = new NodeDirectory();
            if (watch != null) {
                watch.started(system, directory);
            }
            final CompletableFuture<double[]> optimum = new CompletableFuture<>();
            final CompletableFuture<String> abandoned = new CompletableFuture<>();
            ClusterSingleton.get(system).init(SingletonActor.of(
                    ClusterCoordinator.create(new ClusterCoordinator.Settings(experiment.clients(),
                            experiment.dimension(), federation(experiment), directory, optimum,
                            config.getDuration("fedlink.cluster.server-grace-period"), abandoned)),
                    "coordinator").withSettings(ClusterSingletonSettings.create(system).withRole("server")));
            final Duration joinTimeout = config.getDuration("fedlink.cluster.join-timeout");
            final double[] wStar;
            try {
                wStar = optimum.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new TimeoutException("clients nodes brought " + directory.clientCount() + " of the "
                        + experiment.clients() + " clients within " + joinTimeout + " (fedlink.cluster.join-timeout)");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
            awaitAdmitted(directory, experiment.clients(), joinTimeout);
            final FederatedProblem problem = FederatedProblem.withoutClients(experiment.sampleCounts(), wStar);
            final ActorEngine engine = new ActorEngine(2, new FederationMode.Lockstep(),
                    new ClusterTrial(directory, config.getDuration("fedlink.cluster.round-timeout"), checkpoint), system)
                    .checkpointing(checkpoint)
                    .observing(watch != null ? watch.rounds() : null);
            final List<SeriesResult> results;
            try {
                results = engine.run(experiment, problem, listener);
            } catch (RuntimeException e) {
                if (abandoned.isDone()) {
                    throw new IllegalStateException(abandoned.join(), e);
                }
                try {
                    system.getWhenTerminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException notTerminated) {
                    throw e;
                }
                throw new IllegalStateException("this server node was removed from the cluster before the experiment "
                        + "finished (downed or left: see the log); a server restarted with "
                        + "--checkpoint-every resumes where it was", e);
            }
            final Duration leaveTimeout = config.getDuration("fedlink.cluster.leave-timeout");
            try {
                directory.experimentOver("complete").get(leaveTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                system.log().warn("{} clients node(s) had not left {} after the end of the experiment; leaving anyway",
                        directory.nodes().size(), leaveTimeout);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            whenDone.handle(results);
            return results;
        } finally {
            terminate(system);
        }
    }

    /**
     * Runs a clients node for clients first..last until the server says the experiment is over, or
     * the node gives up on a server that has gone. A node that is downed (by the server node, or by itself
     * when it cannot reach the server: it was paused, or cut off from the server, for longer than
     * fedlink.cluster.downing.stable-after) comes back as a new incarnation of itself, on the same
     * address, with the data it already has.
     *
     * @return the server's word on the experiment, or why the node gave up
     */
    public static String runClients(Config config, Experiment experiment, int first, int last) {
        final AtomicReference<CompletableFuture<ClientsNodeData>> generated = new AtomicReference<>();
        final Function<Executor, CompletionStage<ClientsNodeData>> data = blocking -> generated.updateAndGet(
                d -> d != null && !d.isCompletedExceptionally() ? d
                        : CompletableFuture.supplyAsync(() -> ClientsNodeData.generate(experiment, first, last), blocking));
        final Duration grace = config.getDuration("fedlink.cluster.server-grace-period");
        boolean rejoining = false;
        while (true) {
            final ActorSystem<Void> system = start(config);
            final CompletableFuture<String> finished = new CompletableFuture<>();
            try {
                system.systemActorOf(ClientsNodeActor.create(new ClientsNodeActor.Settings(experiment, first, last,
                        federation(experiment), grace, rejoining), data, finished), "clients-node", Props.empty());
                system.getWhenTerminated().thenRun(() -> finished.complete(null));
                // Said as soon as the shutdown starts, not once the system has stopped: Artery's shutdown
                // can wait on a peer that is frozen or behind a cut link (Pekko 1.7 bounds it nowhere), and
                // whoever is waiting for this node's word may be the one to unfreeze it. The system is then
                // waited for within SystemTermination.BOUND (finally, below), not for ever.
                final CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
                shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "fedlink-downed", () -> {
                    if (shutdown.getShutdownReason().filter(r -> r == CoordinatedShutdown.clusterDowningReason())
                            .isPresent()) {
                        LOG.warn("this node was downed (paused or cut off from the server for longer than "
                                + "fedlink.cluster.downing.stable-after); it rejoins as a new incarnation with the "
                                + "data it has once its actor system has stopped");
                        finished.complete(null);
                    }
                    return CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
                });
                final String outcome;
                try {
                    outcome = finished.join();
                } catch (CompletionException e) {
                    throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                }
                if (outcome != null) {
                    return outcome;
                }
            } finally {
                terminate(system);
            }
            final Optional<CoordinatedShutdown.Reason> reason =
                    CoordinatedShutdown.get(Adapter.toClassic(system)).getShutdownReason();
            if (reason.isEmpty() || reason.get() != CoordinatedShutdown.clusterDowningReason()) {
                return "this node left the cluster";
            }
            LOG.info("the downed node's actor system has stopped; rejoining as a new incarnation");
            rejoining = true;
        }
    }

    /** What this node's protocol messages cost the network over its actor system's life (at INFO). */
    private static void logTraffic(ActorSystem<?> system) {
        final KryoProtocolSerializer.Traffic traffic;
        try {
            traffic = KryoProtocolSerializer.traffic(Adapter.toClassic(system));
        } catch (RuntimeException e) {
            LOG.warn("the network traffic could not be read from the serializer: {}", e.toString());
            return;                                    // never in the way of the node's termination
        }
        final double seconds = Math.max(1e-3, (System.currentTimeMillis() - system.startTime()) / 1e3);
        LOG.info(String.format(java.util.Locale.ROOT, "over the network in %.1f s: %d protocol messages sent (%.1f MB), "
                + "%d received (%.1f MB); %.0f sent and %.0f received per second", seconds, traffic.messagesSent(),
                traffic.bytesSent() / 1e6, traffic.messagesReceived(), traffic.bytesReceived() / 1e6,
                traffic.messagesSent() / seconds, traffic.messagesReceived() / seconds));
    }

    /**
     * Terminates a node's actor system and waits for it within {@link SystemTermination#BOUND}: a node
     * whose work is done never hangs on an actor that does not stop (seen once after the server had
     * been frozen with SIGSTOP). Past the bound it logs the actors still alive and returns; the command
     * line then exits.
     */
    static void terminate(ActorSystem<?> system) {
        logTraffic(system);
        SystemTermination.terminate(system, "the node's work", true);
    }
}
