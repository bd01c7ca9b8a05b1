package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders as written: picocli formats descriptions with String.format, so a
 * bare '%' (as in "95% band") makes it warn on standard error and print the text unformatted.
 */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        final CommandLine root = Fedlink.commandLine();
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            root.getUsageMessage();
            for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
                final String usage = sub.getValue().getUsageMessage();
                assertTrue(usage.contains("Usage: fedlink " + sub.getKey()), usage);
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
        assertTrue(root.getSubcommands().get("plot").getUsageMessage().contains("95% confidence band"));
    }
}
