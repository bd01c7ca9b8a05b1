package io.fedlink.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.fedlink.actors.ActorEngine;
import io.fedlink.actors.FederationMode;
import io.fedlink.core.Numerics;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The two kinds of cluster node, as entry points: the server node (coordinator singleton, and each
 * trial's server, scheduler and monitor) and a clients node (a range of client actors and their data).
 */
public final class ClusterNode {

    /** The ActorSystem name every node of a Fedlink cluster shares. */
    public static final String SYSTEM = "fedlink";

    private ClusterNode() {
    }

    /**
     * What a node's client data come from: every node of one experiment must agree on it, or the
     * clients on different nodes would belong to different federations.
     */
    static String federation(Experiment experiment) {
        return "seed=" + experiment.seed() + " K=" + experiment.clients() + " L=" + experiment.dimension()
                + " rho=" + experiment.rho() + " samples=" + experiment.samples().describe()
                + " " + Numerics.describe();
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
        return ConfigFactory.systemProperties()
                .withFallback(top)
                .withFallback(config)
                .withFallback(ConfigFactory.parseResources(ClusterNode.class.getClassLoader(), "fedlink-cluster.conf"))
                .withFallback(ConfigFactory.defaultReference(ClusterNode.class.getClassLoader()))
                .resolve();
    }

    /**
     * Runs the experiment from the server node: waits until clients nodes have brought every client
     * 0..K-1 (and its statistics), computes w*, runs every trial with the clients on their nodes, and
     * tells the nodes the experiment is over.
     *
     * @param checkpoint completed trials and round states are kept there, and a restarted server
     *                   resumes from it; null for none
     * @throws TimeoutException if the clients did not all arrive within fedlink.cluster.join-timeout
     */
    public static List<SeriesResult> runServer(Config config, Experiment experiment, ProgressListener listener,
                                               io.fedlink.actors.ExperimentCheckpoint checkpoint)
            throws TimeoutException, InterruptedException {
        final ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM, config);
        try {
            final NodeDirectory directory = new NodeDirectory();
            final CompletableFuture<double[]> optimum = new CompletableFuture<>();
            ClusterSingleton.get(system).init(SingletonActor.of(
                    ClusterCoordinator.create(experiment.clients(), experiment.dimension(), federation(experiment),
                            directory, optimum),
                    "coordinator").withSettings(ClusterSingletonSettings.create(system).withRole("server")));
            final Duration joinTimeout = config.getDuration("fedlink.cluster.join-timeout");
            final double[] wStar;
            try {
                wStar = optimum.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new TimeoutException("clients nodes brought " + directory.clientCount() + " of the "
                        + experiment.clients() + " clients within " + joinTimeout + " (fedlink.cluster.join-timeout)");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            final FederatedProblem problem = FederatedProblem.withoutClients(experiment.clients(), wStar);
            final ActorEngine engine = new ActorEngine(2, new FederationMode.Lockstep(),
                    new ClusterTrial(directory, config.getDuration("fedlink.cluster.round-timeout"), checkpoint), system)
                    .checkpointing(checkpoint);
            // Without any clients node for a whole grace period, no trial can make progress: give up.
            final Duration grace = config.getDuration("fedlink.cluster.server-grace-period");
            final java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
            final Thread watchdog = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (directory.emptyFor().compareTo(grace) > 0) {
                        abandoned.set(true);
                        system.terminate();
                        return;
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fedlink-clients-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            final List<SeriesResult> results;
            try {
                results = engine.run(experiment, problem, listener);
            } catch (RuntimeException e) {
                if (abandoned.get()) {
                    throw new IllegalStateException("every clients node has been gone for " + grace
                            + " (fedlink.cluster.server-grace-period); the experiment cannot go on");
                }
                try {
                    system.getWhenTerminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException notTerminated) {
                    throw e;
                }
                throw new IllegalStateException("this server node left the cluster before the experiment finished: "
                        + "it lost its clients nodes and the split-brain resolver (keep-majority) downed the smaller "
                        + "side, itself; run two or more clients nodes so that losing one leaves the server with a "
                        + "majority");
            } finally {
                watchdog.interrupt();
            }
            directory.experimentOver("complete");
            Thread.sleep(500);                           // let the last messages leave before leaving the cluster
            return results;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }

    /**
     * Runs a clients node for clients first..last until the server says the experiment is over (or
     * this node is removed from the cluster).
     *
     * @return the server's word on the experiment, or a note that the node left first
     */
    public static String runClients(Config config, Experiment experiment, int first, int last) {
        final ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM, config);
        try {
            final CompletableFuture<String> finished = new CompletableFuture<>();
            system.systemActorOf(ClientsNodeActor.create(experiment.seed(), experiment.dimension(),
                    experiment.samples(), experiment.rho(), first, last, finished,
                    config.getDuration("fedlink.cluster.server-grace-period"), federation(experiment)), "clients-node",
                    Props.empty());
            system.getWhenTerminated().thenRun(() -> finished.complete("this node left the cluster"));
            return finished.join();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
        }
    }
}
