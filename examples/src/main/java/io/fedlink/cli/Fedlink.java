package io.fedlink.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fedlink} command line. */
@Command(name = "fedlink", mixinStandardHelpOptions = true, versionProvider = Fedlink.Version.class,
        subcommands = {SimulateCommand.class, TheoryCommand.class, PlotCommand.class, NodeCommand.class, BenchmarkCommand.class, ScaleCommand.class,
            WireBenchmarkCommand.class,
            CommandLine.HelpCommand.class},
        description = {"Federated learning over noisy links: ADMM, its dual-free form and RERCE-Fed (Lari et al., 2024),",
            "and any algorithm a jar on the class path adds (FEDLINK_CLASSPATH; found: ${sys:fedlink.algorithms})."})
public final class Fedlink {

    private Fedlink() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // Initialise logging before any actor system starts logging from several threads at once.
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status: 0 done, 1 failed, 2 usage error. */
    public static int run(String... args) {
        final CommandLine cmd;
        try {
            cmd = commandLine();
        } catch (IllegalStateException e) {
            // An algorithm plug-in on the class path that cannot be loaded, or that breaks a rule.
            System.err.println("fedlink: " + e.getMessage());
            System.err.flush();
            return 1;
        }
        return cmd.execute(args);
    }

    /**
     * The configured command line: usage errors name the problem without a stack trace; the commands
     * that describe an experiment take every algorithm plug-in's own flags.
     *
     * @throws IllegalStateException when an algorithm plug-in cannot be loaded or takes a fedlink flag
     */
    public static CommandLine commandLine() {
        final CommandLine cmd = new CommandLine(new Fedlink());
        cmd.setParameterExceptionHandler(Fedlink::onUsageError);
        cmd.setExecutionExceptionHandler(Fedlink::onFailure);
        System.setProperty("fedlink.algorithms", FederatedAlgorithm.ids());
        final CommandLine simulate = cmd.getSubcommands().get("simulate");
        AlgorithmFlags.register(simulate, ((SimulateCommand) simulate.getCommand()).options);
        final CommandLine node = cmd.getSubcommands().get("node");
        AlgorithmFlags.register(node, ((NodeCommand) node.getCommand()).options);
        final CommandLine benchmark = cmd.getSubcommands().get("benchmark");
        AlgorithmFlags.register(benchmark, ((BenchmarkCommand) benchmark.getCommand()).options);
        return cmd;
    }

    private static int onUsageError(CommandLine.ParameterException e, String[] args) {
        final CommandLine cmd = e.getCommandLine();
        final PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the flags and what they allow.");
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (e instanceof CommandLine.ParameterException usage) {
            return onUsageError(usage, parseResult.originalArgs().toArray(new String[0]));
        }
        final PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": failed: " + describe(e));
        if (System.getenv("FEDLINK_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set FEDLINK_DEBUG=1 for the stack trace)");
        }
        err.flush();
        return 1;
    }

    private static String describe(Throwable e) {
        final String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** The project version, from the build. */
    static String version() {
        try (InputStream in = Fedlink.class.getResourceAsStream("fedlink-version.properties")) {
            final Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"fedlink " + version() + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
