package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedlink scale}: what it measures is one trial of the experiment it names (the reference engine
 * gives the same NMSE), its table's columns add up, and it never appends to a table of other columns.
 */
class ScaleCommandTest {

    private static final String[] EXPERIMENT = {"--dim", "6", "--rounds", "6", "--selected", "10", "--samples", "3-5",
        "--seed", "3"};

    @TempDir
    Path tmp;

    private static String[] args(String command, Path out, String clients, String... more) {
        final List<String> all = new java.util.ArrayList<>(List.of(command, "--clients", clients, "--out",
                out.toString()));
        all.addAll(List.of(EXPERIMENT));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @Test
    void measuresOneTrialOfTheExperimentAndSplitsSetUpFromTheRounds() throws Exception {
        final Path out = tmp.resolve("scale");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(args("scale", out, "40,300"));
        assertEquals(0, run.status(), run.err());
        final List<String> rows = Files.readAllLines(out.resolve("scale.csv"));
        assertEquals(ScaleCommand.CSV_HEADER, rows.get(0));
        assertEquals(3, rows.size(), "one row per federation size: " + rows);
        final List<String> columns = List.of(ScaleCommand.CSV_HEADER.split(","));
        final Matcher printed = Pattern.compile("\\(NMSE after round 6: (-?\\d+\\.\\d\\d) dB\\)").matcher(run.out());
        for (int i = 1; i <= 2; i++) {
            final String[] cells = rows.get(i).split(",");
            assertEquals(columns.size(), cells.length, rows.get(i));
            final int clients = Integer.parseInt(cells[columns.indexOf("clients")]);
            final double runSeconds = Double.parseDouble(cells[columns.indexOf("run_seconds")]);
            final double perRound = Double.parseDouble(cells[columns.indexOf("seconds_per_round")]);
            final double alone = Double.parseDouble(cells[columns.indexOf("seconds_per_round_alone")]);
            final double setup = Double.parseDouble(cells[columns.indexOf("setup_seconds")]);
            assertEquals(i == 1 ? 40 : 300, clients);
            assertEquals(runSeconds / 6, perRound, 1e-4,
                    "seconds_per_round is the run over T (run_seconds has 3 places)");
            assertTrue(alone > 0 && setup >= 0, rows.get(i));
            // The rounds alone and the set-up make up the run (each cell rounded to 3 or 5 places).
            assertEquals(runSeconds, alone * 6 + setup, 2e-3, rows.get(i));

            // The same experiment on the reference engine: the NMSE the scale run printed after the last round.
            assertTrue(printed.find(), run.out());
            final Path reference = tmp.resolve("reference-" + clients);
            final SimulateCommandTest.Run simulated = SimulateCommandTest.run("simulate", "--engine", "reference",
                    "--clients", "" + clients, "--trials", "1", "--algorithm", "rerce-continual", "--link-noise",
                    "6.25e-4", "--dim", "6", "--rounds", "6", "--selected", "10", "--samples", "3-5", "--seed", "3",
                    "--out", reference.toString());
            assertEquals(0, simulated.status(), simulated.err());
            final List<String> curve = Files.readAllLines(reference.resolve("curves.csv"));
            final String last = curve.get(curve.size() - 1);
            final int nmse = List.of(ResultFiles.CURVES_HEADER.split(",")).indexOf("nmse_db");
            assertEquals(String.format(Locale.ROOT, "%.2f", Double.parseDouble(last.split(",")[nmse])),
                    printed.group(1), "scale's run and the reference engine's, round 6: " + last);
        }
    }

    @Test
    void refusesToAppendToATableOfOtherColumns() throws Exception {
        final Path out = tmp.resolve("old");
        Files.createDirectories(out);
        final String older = "clients,dim,rounds,selected,generation_seconds,run_seconds,seconds_per_round,"
                + "problem_bytes_per_client,federation_bytes_per_client,max_heap_bytes\n100000,16,20,100,1,2,3,4,5,6\n";
        Files.writeString(out.resolve("scale.csv"), older, StandardCharsets.UTF_8);
        final SimulateCommandTest.Run run = SimulateCommandTest.run(args("scale", out, "40"));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("--out " + out) && run.err().contains("other columns")
                && run.err().contains(ScaleCommand.CSV_HEADER), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        assertEquals(older, Files.readString(out.resolve("scale.csv")), "the old table is left as it was");
        assertFalse(run.out().contains("NMSE after round"), "no run started: " + run.out());
    }

    @Test
    void aTableThatIsNoFileOrNoTextIsRefusedBeforeAnyWork() throws Exception {
        final Path folder = tmp.resolve("folder");
        Files.createDirectories(folder.resolve("scale.csv"));
        final SimulateCommandTest.Run notAFile = SimulateCommandTest.run(args("scale", folder, "40"));
        assertEquals(2, notAFile.status(), notAFile.err());
        assertTrue(notAFile.err().contains("scale.csv is not a file"), notAFile.err());

        final Path binary = tmp.resolve("binary");
        Files.createDirectories(binary);
        final byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 'x', '\n'};
        Files.write(binary.resolve("scale.csv"), notUtf8);
        final SimulateCommandTest.Run notText = SimulateCommandTest.run(args("scale", binary, "40"));
        assertEquals(2, notText.status(), notText.err());
        assertTrue(notText.err().contains("cannot be read as a UTF-8 table"), notText.err());
        assertFalse(notText.err().contains("\tat "), notText.err());
        assertArrayEquals(notUtf8, Files.readAllBytes(binary.resolve("scale.csv")), "left as it was");
        assertFalse(notAFile.out().contains("NMSE after round") || notText.out().contains("NMSE after round"));
    }

    @Test
    void moreClientsPolledThanThereAreIsAUsageError() {
        final SimulateCommandTest.Run run = SimulateCommandTest.run(args("scale", tmp.resolve("never"), "40,8"));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("--clients 8 with --selected 10") && run.err().contains("1..K"), run.err());
        assertFalse(Files.exists(tmp.resolve("never").resolve("scale.csv")), "no work may start");
    }
}
