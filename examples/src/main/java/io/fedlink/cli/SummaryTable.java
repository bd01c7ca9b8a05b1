package io.fedlink.cli;

import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.metric.ConfidenceBand;
import io.fedlink.core.metric.Nmse;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The closing console table: one line per series with its steady state and 95% interval, or the
 * round at which it diverged (then it has no steady state to print).
 */
final class SummaryTable {

    private SummaryTable() {
    }

    static void print(PrintWriter out, List<SeriesResult> results) {
        int width = "series".length();
        for (SeriesResult r : results) {
            width = Math.max(width, r.spec().label().length());
        }
        final boolean anyDropped = results.stream().anyMatch(r -> r.droppedPolls() > 0);
        final String header = String.format(Locale.ROOT, "%-" + width + "s  %18s  %17s  %6s  %6s  %9s  %15s",
                "series", "steady state dB", "95% interval dB", "rounds", "trials", "seconds", "updates/second")
                + (anyDropped ? "  dropped polls" : "");
        out.println(header);
        out.println("-".repeat(header.length()));
        boolean anyDiverged = false;
        for (SeriesResult r : results) {
            final int diverged = r.divergedRound();
            anyDiverged |= diverged > 0;
            final String steady = diverged > 0 ? "diverged, round " + diverged
                    : String.format(Locale.ROOT, "%.2f", r.steadyStateDb());
            out.println(String.format(Locale.ROOT, "%-" + width + "s  %18s  %17s  %6d  %6d  %9.2f  %15.0f",
                    r.spec().label(), steady, diverged > 0 ? "" : interval(r), r.rounds(), r.trials(), r.seconds(),
                    r.updatesPerSecond())
                    + (anyDropped ? String.format(Locale.ROOT, "  %13d", r.droppedPolls()) : ""));
        }
        if (anyDiverged) {
            out.println("diverged: the mean NMSE rose more than 60 dB above the larger of its round-1 value and 0 dB "
                    + "(or left the finite numbers) at that round; such a series has no steady state.");
        }
        out.flush();
    }

    private static String interval(SeriesResult r) {
        final ConfidenceBand band = ResultFiles.steadyStateBand(r);
        if (band == null) {
            return "(one trial)";
        }
        final double lo = band.lowerDb()[0];
        return String.format(Locale.ROOT, "%s .. %.2f", Double.isInfinite(lo) ? "-inf" : String.format(Locale.ROOT,
                "%.2f", lo), band.upperDb()[0]);
    }

    /** The steady state as the console prints it elsewhere: a number, or "diverged (round N)". */
    static String steadyStateText(SeriesResult r) {
        final int diverged = Nmse.divergedRound(r.nmse());
        return diverged > 0 ? "diverged (round " + diverged + ")"
                : String.format(Locale.ROOT, "%+.2f dB", r.steadyStateDb());
    }
}
