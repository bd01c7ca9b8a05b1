package io.fedlink.cli;

import io.fedlink.core.engine.SeriesResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The closing console table: one line per series with its steady state. */
final class SummaryTable {

    private SummaryTable() {
    }

    static void print(PrintWriter out, List<SeriesResult> results) {
        int width = "series".length();
        for (SeriesResult r : results) {
            width = Math.max(width, r.spec().label().length());
        }
        final boolean anyDropped = results.stream().anyMatch(r -> r.droppedPolls() > 0);
        final String header = String.format(Locale.ROOT, "%-" + width + "s  %16s  %6s  %6s  %9s  %15s",
                "series", "steady state dB", "rounds", "trials", "seconds", "updates/second")
                + (anyDropped ? "  dropped polls" : "");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (SeriesResult r : results) {
            out.println(String.format(Locale.ROOT, "%-" + width + "s  %16.2f  %6d  %6d  %9.2f  %15.0f",
                    r.spec().label(), r.steadyStateDb(), r.rounds(), r.trials(), r.seconds(),
                    r.clientUpdates() / Math.max(r.seconds(), 1e-9))
                    + (anyDropped ? String.format(Locale.ROOT, "  %13d", r.droppedPolls()) : ""));
        }
        out.flush();
    }
}
