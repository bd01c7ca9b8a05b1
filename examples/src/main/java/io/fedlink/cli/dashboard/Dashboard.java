package io.fedlink.cli.dashboard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedlink.cluster.ClientsNodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.cluster.javadsl.ClusterHttpManagementRoutes;

/**
 * The live dashboard of a run: Pekko HTTP serving the page, {@code /events}, {@code /metrics} and, on a
 * cluster's server node, Pekko Management's membership routes (see {@link DashboardRoutes}).
 *
 * <p>It runs in an actor system of its own, apart from the run's: it outlives the run's system (the
 * page stays readable until the process exits), and its threads serve the network and write JSON
 * without taking a thread from the federations. The run reaches it through {@link #board()} only, a
 * tap that never blocks (see {@link RunBoard}).
 *
 * <p>{@link #open} checks the address at once (it binds it and lets it go: a port in use is known
 * before any work starts), then starts the actor system and the server in the background (Pekko HTTP
 * loads about 1,800 classes: some 0.6 s of CPU), so that the start-up overlaps the run's data
 * generation; the run waits for it ({@link #awaitStarted}) before its trials, which it then leaves
 * alone.
 */
public final class Dashboard implements AutoCloseable {

    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(60);

    /** The dashboard's own actor system: local, two threads, quiet. */
    private static final Config CONFIG = ConfigFactory.parseString("""
            pekko {
              loglevel = WARNING
              actor.provider = local
              actor.default-dispatcher.fork-join-executor { parallelism-min = 1, parallelism-max = 2 }
              coordinated-shutdown.exit-jvm = off
              http.server.server-header = ""
              # HEAD is answered as GET (without the body): the read-only routes need only GET.
              http.server.transparent-head-requests = on
            }
            """);

    private final InetSocketAddress address;
    /** How often the page's view of /events hears of the curves that changed. */
    static final java.time.Duration PACE = java.time.Duration.ofMillis(250);

    private final DashboardMetrics metrics;
    private final RunBoard board;
    private final DashboardRoutes routes;
    /** The actor system and its binding, once serving; failed if the address could not be bound after all. */
    private final CompletableFuture<Serving> serving = new CompletableFuture<>();

    private record Serving(ActorSystem<Void> system, ServerBinding binding) {
    }

    private Dashboard(InetSocketAddress address) {
        this.address = address;
        this.metrics = new DashboardMetrics();
        this.board = new RunBoard(metrics);
        this.routes = new DashboardRoutes(board, metrics);
    }

    /** The address could not be bound. */
    public static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Checks that the address can be bound (port 0: picks a free port), then starts serving it in the
     * background; {@link #serving()} completes when it does.
     *
     * @throws Unavailable naming the address and why, when it cannot be bound
     */
    public static Dashboard open(DashboardAddress address) throws Unavailable {
        final InetSocketAddress probed;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address.host(), address.port()));
            probed = new InetSocketAddress(probe.getInetAddress(), probe.getLocalPort());
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new Unavailable(address + " cannot be bound (" + rootMessage(e) + ")", e);
        }
        final Dashboard dashboard = new Dashboard(probed);
        final Thread starting = new Thread(dashboard::serve, "fedlink-dashboard-start");
        starting.setDaemon(true);
        starting.start();
        return dashboard;
    }

    /** Opens the dashboard and waits until it serves (tests). */
    public static Dashboard start(DashboardAddress address) throws Unavailable {
        final Dashboard dashboard = open(address);
        try {
            dashboard.serving().toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return dashboard;
        } catch (ExecutionException | TimeoutException e) {
            dashboard.close();
            throw new Unavailable(address + " cannot be bound (" + rootMessage(e) + ")", e);
        } catch (InterruptedException e) {
            dashboard.close();
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while binding " + address, e);
        }
    }

    /** Starts the actor system and binds (on the start-up thread). */
    private void serve() {
        ActorSystem<Void> system = null;
        try {
            system = ActorSystem.create(Behaviors.empty(), "fedlink-dashboard",
                    CONFIG.withFallback(ConfigFactory.defaultReference(Dashboard.class.getClassLoader())));
            final ServerBinding binding = Http.get(system)
                    .newServerAt(address.getAddress().getHostAddress(), address.getPort())
                    .bind(routes.route()).toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // The beat of /events?view=curves (the page's view): changed curves, a few times a second.
            system.scheduler().scheduleWithFixedDelay(PACE, PACE, board::tick, system.executionContext());
            serving.complete(new Serving(system, binding));
        } catch (Exception e) {
            if (system != null) {
                terminate(system);
            }
            serving.completeExceptionally(new Unavailable(describe(address) + " cannot be bound (" + rootMessage(e)
                    + ")", e));
        }
    }

    /**
     * Completes once the dashboard serves, or fails with {@link Unavailable} if its address was taken
     * between the check and the bind.
     */
    public CompletionStage<Void> serving() {
        return serving.thenApply(s -> null);
    }

    /**
     * Waits until the dashboard has started (or failed to): a run calls this once its data are
     * generated and before its trials, so that the start-up shares the single-threaded data generation
     * with it and never the trials' cores.
     */
    public void awaitStarted() {
        try {
            serving.get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // It does not serve: the console said why; the run goes on without it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(InetSocketAddress address) {
        final String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** Where the page is: {@code http://HOST:PORT/}, with the port that was checked (a free one for port 0). */
    public String url() {
        return "http://" + describe(address) + "/";
    }

    /** What the run tells the dashboard: its progress, every round (as the engine's observer), the end. */
    public RunBoard board() {
        return board;
    }

    /** Everything the dashboard serves (tests run it through Pekko HTTP's route testkit). */
    public Route route() {
        return routes.route();
    }

    /**
     * Shows a cluster's server node: follows its membership (an actor in the node's own system that only
     * listens) and serves Pekko Management's read-only cluster routes for it under {@code /cluster}.
     */
    public void watchCluster(ActorSystem<?> node, ClientsNodes clientsNodes) {
        routes.attach(new DashboardRoutes.ClusterRoutes(
                ClusterHttpManagementRoutes.readOnly(org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(node))),
                node.getWhenTerminated()));
        node.systemActorOf(MembershipWatch.create(board, clientsNodes), "fedlink-dashboard-membership", Props.empty());
    }

    /** Keeps serving for {@code linger} (the run is over; the page stays readable); returns early if interrupted. */
    public void linger(Duration linger) {
        try {
            Thread.sleep(linger.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Unbinds and stops the dashboard's actor system (waiting for it to have started, if it is starting). */
    @Override
    public void close() {
        final Serving running;
        try {
            running = serving.get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return;                                          // never served: nothing left running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            running.binding().unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Stopping the system below closes the socket anyway.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminate(running.system());
    }

    private static void terminate(ActorSystem<Void> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Its threads are daemons: the JVM can exit regardless.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
