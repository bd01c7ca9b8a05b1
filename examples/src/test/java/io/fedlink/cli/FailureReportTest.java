package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure inside a running federation, from the command line: the run ends at once with exit
 * status 1 and one line naming the actor, the trial and the cause; no stack trace on the console;
 * the log file in the output folder keeps it; nothing passes for a complete result.
 */
class FailureReportTest {

    @TempDir
    Path tmp;

    @Test
    void aCheckpointThatCannotBeWrittenEndsTheRunWithOneLine() throws Exception {
        final Path out = tmp.resolve("out");
        // A directory where trial 0's round state would be written: every write fails, even as root.
        Files.createDirectories(out.resolve("checkpoint").resolve("round-s0-t0.bin.tmp"));
        final SimulateCommandTest.Run run = assertTimeoutPreemptively(Duration.ofMinutes(1), () ->
                SimulateCommandTest.run("simulate", "--clients", "6", "--dim", "4", "--samples", "2-5", "--rounds",
                        "200000", "--trials", "4", "--selected", "3", "--out", out.toString(), "--checkpoint-every", "5",
                        "--quiet"));
        assertEquals(1, run.status(), run.err());
        final String line = run.err().lines().filter(l -> l.contains("failed")).findFirst().orElse("");
        // Trial 0's federation: a block of trials on the actor engine (trials 0-1 with 4 trials on 2 cores).
        assertTrue(line.startsWith("fedlink simulate: ") && (line.contains("trial 0:") || line.contains("trials 0-"))
                && line.contains("'round-state'") && line.contains("cannot write the round state"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace on the console:\n" + run.err());
        assertFalse(Files.exists(out.resolve("curves.csv")), "an unfinished run writes no curves.csv");
        assertTrue(Files.exists(out.resolve("INCOMPLETE.txt")));
        final String log = Files.readString(out.resolve(RunLog.FILE));
        assertTrue(log.contains("cannot write the round state") && log.contains("\tat "),
                "the log file keeps the stack trace:\n" + log);
    }
}
