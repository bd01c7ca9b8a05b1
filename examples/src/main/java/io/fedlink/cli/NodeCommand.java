package io.fedlink.cli;

import io.fedlink.actors.RoundObserver;
import io.fedlink.cli.dashboard.Dashboard;
import io.fedlink.cluster.ClientsNodes;
import io.fedlink.cluster.ClusterNode;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink node}: one node of a Pekko Cluster. Every node is given the same experiment flags
 * (a clients node needs them to generate its clients' data: seed, K, L, rho, samples). The server
 * node runs the experiment and writes the same outputs as {@code fedlink simulate}.
 */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Starts one node of a Fedlink cluster (Pekko Cluster over Artery).",
            "--role server runs the coordinator and, per trial, the server, scheduler and monitor, and writes the",
            "outputs of `fedlink simulate` to --out; --role clients hosts the clients --clients FROM-TO and",
            "generates only their data. Give every node the same experiment flags."
        })
final class NodeCommand implements Callable<Integer> {

    private static final Pattern RANGE = Pattern.compile("\\s*(\\d+)\\s*-\\s*(\\d+)\\s*");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}");

    @Spec
    CommandSpec spec;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "server or clients.")
    String role;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address other nodes reach this one at (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", required = true, paramLabel = "P", description = "Artery port of this node.")
    int port;

    @Option(names = "--seed-nodes", split = ",", required = true, paramLabel = "HOST:PORT",
            description = "The cluster's seed nodes, comma separated (the server's address, usually).")
    List<String> seedNodes;

    @Option(names = "--clients", paramLabel = "FROM-TO", description = "Clients node: the client ids it hosts.")
    String clientRange;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "PKCS12 key store: run over TLS (tls-tcp) "
            + "with mutual authentication. Needs --tls-truststore and FEDLINK_TLS_PASSWORD.")
    Path keyStore;

    @Option(names = "--tls-truststore", paramLabel = "FILE", description = "PKCS12 trust store for TLS.")
    Path trustStore;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Any configuration value, in HOCON, e.g. --set fedlink.cluster.downing.stable-after=3s")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Mixin
    ExperimentOptions.Node options;

    @Option(names = "--out", paramLabel = "DIR", description = "Server node: output folder (default: as fedlink simulate).")
    Path out;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Server node: keep a checkpoint in "
            + "--out/checkpoint (each completed trial, and the server's round state every N rounds); a restarted "
            + "server with the same flags resumes from it instead of starting over.")
    Integer checkpointEvery;

    @Option(names = "--fresh", description = "Server node: discard an existing checkpoint and start over.")
    boolean fresh;

    @Option(names = "--force", description = "Server node: replace the results in an output folder that already "
            + "holds some.")
    boolean force;

    @Option(names = "--per-trial", description = "Server node: also write trials.csv, every trial's curve (series, trial, "
            + "round, nmse_db), as simulate --per-trial does.")
    boolean perTrial;

    @Mixin
    DashboardOptions dashboardOptions;

    @Override
    public Integer call() throws IOException, InterruptedException {
        final CommandLine cmd = spec.commandLine();
        final PrintWriter console = cmd.getOut();
        final String kind = role.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("server") && !kind.equals("clients")) {
            throw ExperimentOptions.usage(cmd, "--role " + role + ": expected server or clients");
        }
        if (port < 0 || port > 65535) {
            throw ExperimentOptions.usage(cmd, "--port " + port + ": expected 0..65535");
        }
        for (String seed : seedNodes) {
            if (!ADDRESS.matcher(seed.trim()).matches()) {
                throw ExperimentOptions.usage(cmd, "--seed-nodes " + seed + ": expected HOST:PORT");
            }
        }
        final ExperimentOptions.Resolved resolved = options.resolve(cmd);
        final Experiment experiment = resolved.experiment();
        final ClusterNode.Tls tls = tls(cmd);
        final com.typesafe.config.Config config;
        try {
            config = ClusterNode.config(kind, host, port, seedNodes, tls, overrides);
        } catch (com.typesafe.config.ConfigException e) {
            throw ExperimentOptions.usage(cmd, "--set: " + e.getMessage());
        }

        if (kind.equals("clients")) {
            if (out != null || checkpointEvery != null || fresh || force || perTrial) {
                throw ExperimentOptions.usage(cmd, "--out, --checkpoint-every, --fresh, --force and --per-trial are for "
                        + "--role server: "
                        + "a clients node writes nothing");
            }
            if (dashboardOptions.address != null || dashboardOptions.linger != null) {
                throw ExperimentOptions.usage(cmd, "--dashboard and --dashboard-linger are for --role server: the "
                        + "run (and every node's membership) is shown by the server node's dashboard");
            }
            if (clientRange == null) {
                throw ExperimentOptions.usage(cmd, "--role clients needs --clients FROM-TO");
            }
            final Matcher m = RANGE.matcher(clientRange);
            if (!m.matches()) {
                throw ExperimentOptions.usage(cmd, "--clients " + clientRange + ": expected FROM-TO, e.g. 0-49");
            }
            final long first = Long.parseLong(m.group(1).length() > 12 ? "999999999999" : m.group(1));
            final long last = Long.parseLong(m.group(2).length() > 12 ? "999999999999" : m.group(2));
            if (first > last || last >= experiment.clients()) {
                throw ExperimentOptions.usage(cmd, "--clients " + clientRange + ": expected FROM <= TO within 0.."
                        + (experiment.clients() - 1) + " (the experiment's K is " + experiment.clients() + ")");
            }
            final String tooMany = burstProblem(config, last - first + 1);
            if (tooMany != null) {
                throw ExperimentOptions.usage(cmd, "--clients " + clientRange + ": " + tooMany);
            }
            final Integer refused = checkAddress(cmd, config, tls);
            if (refused != null) {
                return refused;
            }
            console.printf("clients node %s:%d hosting clients %d..%d%n", host, port, first, last);
            console.flush();
            final String outcome;
            try {
                outcome = ClusterNode.runClients(config, experiment, (int) first, (int) last);
            } catch (ClusterNode.AddressInUse e) {
                return addressInUse(cmd, e.getMessage());
            }
            console.println("clients node " + host + ":" + port + ": " + outcome);
            console.flush();
            return outcome.startsWith("complete") ? 0 : 1;
        }

        if (clientRange != null) {
            throw ExperimentOptions.usage(cmd, "--clients is for --role clients; the server node hosts none");
        }
        dashboardOptions.address(cmd);                       // checked with the other flags, bound below
        final Path dir = out != null ? out : OutputFolder.defaultFor(
                resolved.preset() != null ? resolved.preset().id() : "custom", resolved.reproducingArguments(),
                options.baselineArguments(cmd, resolved), "");
        // Results of an earlier run are never replaced unless asked (a checkpoint this run resumes is its own).
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw ExperimentOptions.usage(cmd, "--checkpoint-every " + checkpointEvery + ": at least every 1 round");
        }
        final boolean resuming = checkpointEvery != null && !fresh && Files.isDirectory(dir.resolve(Checkpoints.FOLDER));
        OutputFolder.check(cmd, dir, out != null, force, resuming);
        final Integer refused = checkAddress(cmd, config, tls);
        if (refused != null) {
            return refused;
        }
        final Dashboard dashboard;
        try {
            dashboard = dashboardOptions.start(cmd, console);
        } catch (Dashboard.Unavailable e) {
            return DashboardOptions.refused(cmd, e);
        }
        try (dashboard) {
            OutputFolder.claim(cmd, dir, out != null, force, resuming);
            final int status;
            try {
                status = runServer(cmd, resolved, config, dir, dashboard);
            } catch (IOException | RuntimeException e) {
                DashboardOptions.failed(dashboard, e);
                throw e;
            }
            dashboardOptions.finish(dashboard, status, console);
            return status;
        }
    }

    /** The server node's run: the experiment on the cluster, then its outputs, shown on {@code dashboard} (or null). */
    private int runServer(CommandLine cmd, ExperimentOptions.Resolved resolved, com.typesafe.config.Config config,
                          Path dir, Dashboard dashboard) throws IOException, InterruptedException {
        final PrintWriter console = cmd.getOut();
        final Experiment experiment = resolved.experiment();
        final String title = resolved.preset() != null ? resolved.preset().id() : "fedlink node";
        final ResultFiles.Run run = new ResultFiles.Run(experiment, "cluster", "lockstep",
                "cluster (server " + host + ":" + port + ")");
        console.printf("server node %s:%d: %d series x %d trials x %d rounds, K = %d, L = %d; waiting for clients%n",
                host, port, experiment.series().size(), experiment.trials(), experiment.rounds(),
                experiment.clients(), experiment.dimension());
        console.flush();
        final io.fedlink.actors.ExperimentCheckpoint checkpoint = Checkpoints.open(cmd, console, checkpointEvery,
                fresh, dir, "fedlink simulate " + resolved.reproducingArguments(), experiment);
        if (dashboard != null) {
            DashboardFeed.announce(dashboard.board(), title, title, run, true);
        }
        try (ConsoleProgress progress = quiet ? null
                : new ConsoleProgress(title, (long) experiment.series().size() * experiment.trials())
                        .expecting(experiment.clients())) {
            final ProgressListener shown = progress != null ? progress : ProgressListener.NONE;
            // The files are written before the node's actor system stops, which can take its whole bound.
            ClusterNode.runServer(config, experiment,
                    dashboard == null ? shown : DashboardFeed.feeding(dashboard.board(), shown, run), checkpoint,
                    dashboard == null ? null : watchedBy(dashboard), results -> {
                        if (progress != null) {
                            progress.close();
                        }
                        final String reproducing = "fedlink simulate " + resolved.reproducingArguments()
                                + " --engine actors --mode lockstep";
                        SimulateCommand.writeOutputs(console, dir, title, SimulateCommand.typedCommand(cmd),
                                reproducing, run, results, perTrial);
                        console.flush();
                    });
        } catch (TimeoutException e) {
            cmd.getErr().println("fedlink node: " + e.getMessage());
            if (dashboard != null) {
                dashboard.board().ended("failed", e.getMessage());
            }
            return 1;
        } catch (ClusterNode.AddressInUse e) {
            return addressInUse(cmd, e.getMessage());
        }
        return 0;
    }

    /** Messages per hosted client in the protocol's largest bursts (a registration and a round-0 report). */
    static final int BURST_PER_CLIENT = 2;

    /**
     * Why Artery could not carry this many clients' bursts from one node, or null. Past its queues it
     * drops messages without a word (the join or round 0 then waits for its timeout), or quarantines the
     * node (system messages: the remote watches of its clients).
     */
    static String burstProblem(com.typesafe.config.Config config, long hosted) {
        for (String queue : List.of("outbound-message-queue-size", "outbound-control-queue-size",
                "system-message-buffer-size")) {
            final String key = "pekko.remote.artery.advanced." + queue;
            final long size = config.getLong(key);
            if (BURST_PER_CLIENT * hosted > size) {
                return hosted + " clients on one node send bursts of " + BURST_PER_CLIENT * hosted + " messages, more "
                        + "than " + key + " = " + size + " holds (Artery would drop the rest); host at most "
                        + size / BURST_PER_CLIENT + " clients per node, or raise it with --set " + key + "=N";
            }
        }
        return null;
    }

    /** The dashboard follows the node's membership and every round. */
    private static ClusterNode.ServerWatch watchedBy(Dashboard dashboard) {
        return new ClusterNode.ServerWatch() {
            @Override
            public void started(org.apache.pekko.actor.typed.ActorSystem<Void> system, ClientsNodes nodes) {
                dashboard.watchCluster(system, nodes);
            }

            @Override
            public RoundObserver rounds() {
                return dashboard.board();
            }
        };
    }

    /**
     * Warns when the node would listen off loopback without TLS, and refuses (exit 2, one line) an
     * address it cannot bind; null when it may go on.
     */
    private Integer checkAddress(CommandLine cmd, com.typesafe.config.Config config, ClusterNode.Tls tls) {
        final java.net.InetSocketAddress bind = ClusterNode.bindAddress(config);
        if (tls == null && !isLoopback(bind.getHostString())) {
            cmd.getErr().println("fedlink node: warning: listening on " + bind.getHostString() + ":" + bind.getPort()
                    + " without TLS: anyone who can reach it can join the cluster, read the models and statistics "
                    + "that cross it and send its actors messages; off loopback give every node --tls-keystore and "
                    + "--tls-truststore (password in FEDLINK_TLS_PASSWORD; see the README, TLS with mutual "
                    + "authentication)");
            cmd.getErr().flush();
        }
        final String problem = ClusterNode.bindProblem(config);
        return problem == null ? null : addressInUse(cmd, problem);
    }

    private static int addressInUse(CommandLine cmd, String problem) {
        cmd.getErr().println("fedlink node: --port: " + problem + "; give this node a free port (local-cluster.sh: "
                + "--base-port)");
        cmd.getErr().flush();
        return 2;
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private ClusterNode.Tls tls(CommandLine cmd) {
        if (keyStore == null && trustStore == null) {
            return null;
        }
        if (keyStore == null || trustStore == null) {
            throw ExperimentOptions.usage(cmd, "--tls-keystore and --tls-truststore go together");
        }
        for (Path store : List.of(keyStore, trustStore)) {
            if (!Files.isReadable(store)) {
                throw ExperimentOptions.usage(cmd, "--tls-keystore/--tls-truststore " + store + ": cannot read it");
            }
        }
        final String password = System.getenv("FEDLINK_TLS_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw ExperimentOptions.usage(cmd, "TLS needs the stores' password in the environment variable "
                    + "FEDLINK_TLS_PASSWORD (never on the command line)");
        }
        return new ClusterNode.Tls(keyStore.toAbsolutePath().toString(), trustStore.toAbsolutePath().toString(),
                password);
    }
}
