package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SimulationEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run that stops early never leaves files that pass for a full result: an engine that fails, and
 * an interrupt (the shutdown hook's work, called directly), keep what was completed under
 * *-incomplete names with INCOMPLETE.txt saying how to resume or rerun.
 */
class PartialResultsTest {

    @TempDir
    Path tmp;

    private static final String[] TWO_SERIES = {"simulate", "--clients", "6", "--dim", "6", "--samples", "2-5",
        "--rounds", "8", "--trials", "3", "--selected", "2,3", "--engine", "reference", "--quiet"};

    /** Runs the first series for real, then fails as the hardened engines will: with an exception. */
    private static final class FailingAfterOneSeries implements SimulationEngine {
        @Override
        public String id() {
            return "reference";
        }

        @Override
        public List<SeriesResult> run(Experiment experiment, FederatedProblem problem, ProgressListener listener) {
            final Experiment first = new Experiment(experiment.clients(), experiment.dimension(), experiment.rho(),
                    experiment.samples(), experiment.rounds(), experiment.trials(), experiment.seed(),
                    experiment.scheduling(), List.of(experiment.series().get(0)));
            new ReferenceEngine(1).run(first, problem, listener);            // tells the listener it completed
            throw new IllegalStateException("clients node 127.0.0.1:25521 is gone\nwith 3 clients");
        }
    }

    private SimulateCommand.Prepared prepared(Path dir, SimulationEngine engine, String... extra) {
        final String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(TWO_SERIES),
                java.util.Arrays.stream(extra)).toArray(String[]::new);
        final CommandLine cmd = Fedlink.commandLine();
        final CommandLine sub = cmd.parseArgs(args).subcommand().commandSpec().commandLine();
        final SimulateCommand command = sub.getCommand();
        final SimulateCommand.Prepared p = command.prepare(sub, dir);
        return new SimulateCommand.Prepared(p.cmd(), p.command(), p.resolved(), engine, p.dir(), true, p.title(),
                p.reproducing());
    }

    @Test
    void anEngineFailureKeepsTheCompletedSeriesUnderIncompleteNamesAndExitsOne() throws Exception {
        final Path dir = tmp.resolve("failed");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = prepared(dir, new FailingAfterOneSeries(), "--per-trial")
                .execute(new PrintWriter(out, true), new PrintWriter(err, true), "fedlink simulate ...");
        assertEquals(1, status);
        assertEquals("fedlink simulate: clients node 127.0.0.1:25521 is gone; with 3 clients",
                err.toString().strip(), "one line, no stack trace");
        for (String full : List.of("curves.csv", "summary.csv", "trials.csv", "nmse.png")) {
            assertFalse(Files.exists(dir.resolve(full)), full + " would pass for a full result");
        }
        final List<String> curves = Files.readAllLines(dir.resolve("curves-incomplete.csv"));
        assertEquals(ResultFiles.CURVES_HEADER, curves.get(0));
        assertEquals(1 + 8, curves.size(), "the one completed series");
        assertTrue(curves.get(1).startsWith("rerce C=2 "), curves.get(1));
        assertEquals(2, Files.readAllLines(dir.resolve("summary-incomplete.csv")).size());
        assertEquals(1 + 3 * 8, Files.readAllLines(dir.resolve("trials-incomplete.csv")).size());
        final String note = Files.readString(dir.resolve("INCOMPLETE.txt"));
        assertTrue(note.contains("clients node 127.0.0.1:25521 is gone"), note);
        assertTrue(note.contains("1 of 2 series complete"), note);
        assertTrue(note.contains("--force"), "how to rerun: " + note);
        assertTrue(note.contains("--checkpoint-every"), "how to make it resumable: " + note);
        assertTrue(out.toString().contains("1 of 2 series complete"), "the console says what was kept");
        assertTrue(Files.exists(dir.resolve("command.txt")));

        // The folder now holds results: a rerun needs --force, and a complete one clears the leftovers.
        final SimulateCommandTest.Run refused = SimulateCommandTest.run(java.util.stream.Stream.concat(
                java.util.Arrays.stream(TWO_SERIES), java.util.stream.Stream.of("--out", dir.toString()))
                .toArray(String[]::new));
        assertEquals(2, refused.status(), refused.err());
        assertTrue(refused.err().contains("INCOMPLETE.txt"), refused.err());
        final SimulateCommandTest.Run rerun = SimulateCommandTest.run(java.util.stream.Stream.concat(
                java.util.Arrays.stream(TWO_SERIES), java.util.stream.Stream.of("--out", dir.toString(), "--force"))
                .toArray(String[]::new));
        assertEquals(0, rerun.status(), rerun.err());
        assertTrue(Files.exists(dir.resolve("curves.csv")));
        for (String left : List.of("curves-incomplete.csv", "summary-incomplete.csv", "trials-incomplete.csv",
                "INCOMPLETE.txt")) {
            assertFalse(Files.exists(dir.resolve(left)), left + " outlived the complete run");
        }
    }

    @Test
    void anInterruptWritesWhatCompletedAndSaysHowToResume() throws Exception {
        final Path dir = tmp.resolve("interrupted");
        Files.createDirectories(dir);
        final SimulateCommand.Prepared p = prepared(dir, new ReferenceEngine(1));
        final Experiment one = new Experiment(6, 6, 1.0, io.fedlink.core.data.SampleCounts.uniform(2, 5), 8, 3, 1L,
                io.fedlink.core.schedule.SchedulingPolicy.UNIFORM, List.of(p.experiment().series().get(0)));
        final PartialResults partial = new PartialResults(ProgressListener.NONE, 2, 6);
        final StringWriter err = new StringWriter();
        partial.armInterruptHook(new PartialResults.Target(dir, p.run(), false, "typed", p.reproducing(), true,
                "fedlink simulate"), new PrintWriter(err, true));
        try {
            new ReferenceEngine(1).run(one, one.generateProblem(), partial);
            partial.interruptNow();                           // what the shutdown hook runs on Ctrl-C
        } finally {
            assertFalse(partial.finishing(), "the interrupt came first: its outputs stand");
        }
        assertTrue(err.toString().contains("fedlink simulate: interrupted"), err.toString());
        assertTrue(Files.exists(dir.resolve("curves-incomplete.csv")));
        assertFalse(Files.exists(dir.resolve("curves.csv")));
        final String note = Files.readString(dir.resolve("INCOMPLETE.txt"));
        assertTrue(note.contains("interrupted"), note);
        assertTrue(note.contains("To resume: run the same command again"), note);
        assertTrue(note.contains("3 of 6 trials had finished"), note);
    }

    @Test
    void anInterruptAfterTheRunFinishedLeavesTheFullOutputsAlone() throws Exception {
        final Path dir = tmp.resolve("finished");
        Files.createDirectories(dir);
        final SimulateCommand.Prepared p = prepared(dir, new ReferenceEngine(1));
        final PartialResults partial = new PartialResults(ProgressListener.NONE, 2, 6);
        partial.armInterruptHook(new PartialResults.Target(dir, p.run(), false, "typed", p.reproducing(), false,
                "fedlink simulate"), new PrintWriter(new StringWriter(), true));
        assertTrue(partial.finishing());
        final Thread late = new Thread(partial::interruptNow);
        late.start();                                          // waits while the full outputs are written
        partial.finished();
        late.join(10_000);
        assertFalse(late.isAlive());
        assertFalse(Files.exists(dir.resolve("INCOMPLETE.txt")), "a finished run is not marked incomplete");
    }
}
