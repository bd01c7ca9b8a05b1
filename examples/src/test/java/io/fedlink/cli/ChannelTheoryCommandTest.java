package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fedlink theory` over the channels where it is exact, and its refusal where it is not. */
class ChannelTheoryCommandTest {

    @TempDir
    Path tmp;

    @Test
    void predictsErasuresWithTheByCRuleAndAgreesWithItsSimulation() throws Exception {
        final Path out = tmp.resolve("erasure");
        final SimulateCommandTest.Run run = SimulateCommandTest.run("theory", "--channel", "erasure:0.2+awgn",
                "--missing", "by-C", "--selected", "3", "--link-noise", "1e-2", "--rounds", "200", "--simulate",
                "--trials", "600", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        final List<String> rows = Files.readAllLines(out.resolve(TheoryCommand.TABLE));
        final String[] row = rows.get(1).split(",", -1);
        final double predicted = Double.parseDouble(row[3]);
        final double simulated = Double.parseDouble(row[5]);
        assertEquals("NaN", row[4], "the paper's approximation has no erasures");
        // 600 trials: the Monte Carlo steady state is known to about 0.1 dB here; allow 0.3.
        assertEquals(predicted, simulated, 0.3, rows.get(1));
        assertTrue(run.out().contains("n/a (lossy links)"), run.out());
        assertTrue(Files.readString(out.resolve("command.txt")).contains("--channel erasure:0.2+awgn --link-budget "
                + "uniform --missing by-C"));
    }

    @Test
    void refusesWhereTheTheoryIsNotExactSayingWhy() {
        final String[][] cases = {
            {"--channel", "quantize:8+awgn", "stochastic quantisation"},
            {"--channel", "erasure:0.1+awgn", "--missing by-C"},
            {"--channel", "rayleigh:0+awgn", "truncation"},
        };
        for (String[] c : cases) {
            final SimulateCommandTest.Run run = SimulateCommandTest.run("theory", c[0], c[1], "--out",
                    tmp.resolve("never").toString());
            assertEquals(2, run.status(), String.join(" ", c));
            assertTrue(run.err().contains("no exact theory") && run.err().contains(c[2]), run.err());
        }
    }
}
