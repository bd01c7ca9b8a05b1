package io.fedlink.cli;

import io.fedlink.actors.ActorEngine;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SimulationEngine;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which engine runs the trials, and on how many threads. */
public final class EngineOptions {

    /** How long a server waits for a silent client before dropping it for the round. */
    static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--engine", paramLabel = "NAME",
            description = "Simulation engine: actors (Pekko federations, the default) or reference (the "
                    + "sequential oracle). Both give bit-identical curves.")
    String engine;

    @Option(names = "--threads", paramLabel = "N",
            description = "Trials run at once (default: the reference engine one per core, the actor engine "
                    + "two per core; here ${sys:fedlink.cores} cores).")
    Integer threads;

    static {
        System.setProperty("fedlink.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    SimulationEngine engine(CommandLine cmd) {
        if (threads != null && threads < 1) {
            throw ExperimentOptions.usage(cmd, "--threads " + threads + ": at least 1 thread is needed");
        }
        final int cores = Runtime.getRuntime().availableProcessors();
        final String name = engine == null ? "actors" : engine.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "actors" -> new ActorEngine(threads != null ? threads : 2 * cores, ROUND_TIMEOUT);
            case "reference" -> new ReferenceEngine(threads != null ? threads : cores);
            default -> throw ExperimentOptions.usage(cmd, "--engine " + engine
                    + ": unknown engine; expected actors or reference");
        };
    }
}
