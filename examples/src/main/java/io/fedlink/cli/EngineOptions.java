package io.fedlink.cli;

import io.fedlink.actors.ActorEngine;
import io.fedlink.actors.FederationMode;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SimulationEngine;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which engine runs the trials, and on how many threads. */
public final class EngineOptions {

    static final String SERVER_PERIOD = "4";
    static final String CLIENT_PERIOD = "2";
    static final String SPEED_SPREAD = "4";

    /** The free-running timing flags at their defaults, as {@link #arguments} writes them. */
    static String defaultTimingArguments() {
        return "--server-period " + Double.parseDouble(SERVER_PERIOD) + " --client-period "
                + Double.parseDouble(CLIENT_PERIOD) + " --speed-spread " + Double.parseDouble(SPEED_SPREAD);
    }

    /** How long a server waits for a silent client before dropping it for the round. */
    static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--engine", paramLabel = "NAME",
            description = "Simulation engine: actors (Pekko federations, the default) or reference (the "
                    + "sequential oracle). Both give bit-identical curves.")
    String engine;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "Actor engine's timing: lockstep (one local step per client per round; bit-identical to "
                    + "the reference engine; default) or free-running (clients step on their own clocks, the server "
                    + "aggregates on its own cadence).")
    String mode;

    @Option(names = "--server-period", paramLabel = "MS",
            description = "Free-running: the server aggregates every MS milliseconds (default: ${DEFAULT-VALUE}).",
            defaultValue = SERVER_PERIOD)
    double serverPeriodMillis;

    @Option(names = "--client-period", paramLabel = "MS",
            description = "Free-running: the fastest client's step period in milliseconds (default: ${DEFAULT-VALUE}).",
            defaultValue = CLIENT_PERIOD)
    double clientPeriodMillis;

    @Option(names = "--speed-spread", paramLabel = "S",
            description = "Free-running: client periods are log-uniform in [MS, S x MS], S >= 1 (default: ${DEFAULT-VALUE}).",
            defaultValue = SPEED_SPREAD)
    double speedSpread;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads (default: the reference engine one per core, each running a block of the trials "
                    + "together, the trials shared evenly; the actor engine one federation at once per core, each "
                    + "simulating a block of the trials together, in lockstep mode, and two per core, each one "
                    + "trial, in free-running mode; here ${sys:fedlink.cores} cores).")
    Integer threads;

    static {
        System.setProperty("fedlink.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    /** The federation's timing, validated. */
    FederationMode federationMode(CommandLine cmd) {
        final String name = mode == null ? "lockstep" : mode.trim().toLowerCase(Locale.ROOT);
        if (name.equals("lockstep")) {
            // Refused rather than ignored: a run that silently drops a timing flag is not the run the
            // user asked for (as `fedlink node` refuses the server's flags on a clients node).
            for (String flag : FREE_RUNNING_FLAGS) {
                if (cmd.getParseResult() != null && cmd.getParseResult().hasMatchedOption(flag)) {
                    throw ExperimentOptions.usage(cmd, flag + " is for --mode free-running; lockstep rounds have no "
                            + "clocks (add --mode free-running, or leave " + flag + " out)");
                }
            }
            return new FederationMode.Lockstep();
        }
        if (!name.equals("free-running")) {
            throw ExperimentOptions.usage(cmd, "--mode " + mode + ": unknown mode; expected lockstep or free-running");
        }
        if (!(serverPeriodMillis >= 1.0) || serverPeriodMillis > 60_000) {
            throw ExperimentOptions.usage(cmd, "--server-period " + serverPeriodMillis
                    + ": expected milliseconds in 1..60000 (the scheduler's clock ticks every millisecond)");
        }
        if (!(clientPeriodMillis >= 1.0) || clientPeriodMillis > 60_000) {
            throw ExperimentOptions.usage(cmd, "--client-period " + clientPeriodMillis
                    + ": expected milliseconds in 1..60000 (the scheduler's clock ticks every millisecond)");
        }
        if (!(speedSpread >= 1.0) || speedSpread > 1000) {
            throw ExperimentOptions.usage(cmd, "--speed-spread " + speedSpread + ": expected a ratio in 1..1000");
        }
        return new FederationMode.FreeRunning(Duration.ofNanos(Math.round(serverPeriodMillis * 1e6)),
                Duration.ofNanos(Math.round(clientPeriodMillis * 1e6)), speedSpread);
    }

    /** The flags that only free-running mode reads. */
    static final java.util.List<String> FREE_RUNNING_FLAGS = java.util.List.of("--server-period", "--client-period",
            "--speed-spread");

    /** {@code free-running} or {@code lockstep}: how the chosen engine times its rounds. */
    static String modeOf(SimulationEngine chosen) {
        return chosen instanceof ActorEngine actors && actors.mode() instanceof FederationMode.FreeRunning
                ? "free-running" : "lockstep";
    }

    /** The engine's name and mode as command-line arguments, for command.txt. */
    String arguments(SimulationEngine chosen) {
        if (chosen instanceof ActorEngine actors && actors.mode() instanceof FederationMode.FreeRunning f) {
            return "--engine actors --mode free-running --server-period " + f.serverPeriod().toNanos() / 1e6
                    + " --client-period " + f.clientPeriod().toNanos() / 1e6 + " --speed-spread " + f.speedSpread();
        }
        return "--engine " + chosen.id() + (chosen instanceof ActorEngine ? " --mode lockstep" : "");
    }

    SimulationEngine engine(CommandLine cmd) {
        if (threads != null && threads < 1) {
            throw ExperimentOptions.usage(cmd, "--threads " + threads + ": at least 1 thread is needed");
        }
        final int cores = Runtime.getRuntime().availableProcessors();
        final String name = engine == null ? "actors" : engine.trim().toLowerCase(Locale.ROOT);
        final FederationMode federationMode = federationMode(cmd);
        if (federationMode instanceof FederationMode.FreeRunning && name.equals("reference")) {
            throw ExperimentOptions.usage(cmd, "--mode free-running with --engine reference: the reference engine "
                    + "is lockstep only; use --engine actors");
        }
        return switch (name) {
            case "actors" -> new ActorEngine(threads != null ? threads : ActorEngine.defaultConcurrency(federationMode),
                    federationMode, ROUND_TIMEOUT);
            case "reference" -> new ReferenceEngine(threads != null ? threads : cores);
            default -> throw ExperimentOptions.usage(cmd, "--engine " + engine
                    + ": unknown engine; expected actors or reference");
        };
    }
}
