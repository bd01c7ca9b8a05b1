package io.fedlink.cli;

import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SimulationEngine;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which engine runs the trials, and on how many threads. */
public final class EngineOptions {

    @Option(names = "--engine", paramLabel = "NAME",
            description = "Simulation engine: reference (the sequential oracle; default).")
    String engine;

    @Option(names = "--threads", paramLabel = "N",
            description = "Trials run at once (default: the number of cores, here ${sys:fedlink.cores}).")
    Integer threads;

    static {
        System.setProperty("fedlink.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    SimulationEngine engine(CommandLine cmd) {
        final int parallelism = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (parallelism < 1) {
            throw ExperimentOptions.usage(cmd, "--threads " + parallelism + ": at least 1 thread is needed");
        }
        final String name = engine == null ? "reference" : engine.trim().toLowerCase(Locale.ROOT);
        if (name.equals("reference")) {
            return new ReferenceEngine(parallelism);
        }
        throw ExperimentOptions.usage(cmd, "--engine " + engine + ": unknown engine; expected reference");
    }
}
