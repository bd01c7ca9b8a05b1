package io.fedlink.cli;

import io.fedlink.cli.dashboard.DashboardEvent;
import io.fedlink.cli.dashboard.RunBoard;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds one run to the dashboard's {@link RunBoard}: what the run is (its series drawn as nmse.png
 * draws them), its progress (passed on to the console's listener too), and each completed series'
 * curve and summary.csv row, so that the page shows what the files say. Rounds reach the board
 * directly, as the engine's round observer.
 */
final class DashboardFeed implements ProgressListener {

    private final RunBoard board;
    private final ProgressListener delegate;
    private final ResultFiles.Run run;

    private DashboardFeed(RunBoard board, ProgressListener delegate, ResultFiles.Run run) {
        this.board = board;
        this.delegate = delegate;
        this.run = run;
    }

    /**
     * Tells the board a run starts (before its data are generated: the page shows what is coming).
     *
     * @param name    the run's name on the page and in the metrics' {@code run} label
     * @param title   the figure title's lead (the preset, or the command)
     * @param cluster whether the run is a cluster's (the page then shows the members)
     */
    static void announce(RunBoard board, String name, String title, ResultFiles.Run run, boolean cluster) {
        final Experiment e = run.experiment();
        final List<DashboardEvent.Series> series = new ArrayList<>();
        for (int i = 0; i < e.series().size(); i++) {
            final SeriesSpec s = e.series().get(i);
            final boolean continual = s.algorithm().stepsWhenNotPolled();
            final NmsePlot.Style style = NmsePlot.style(i, continual);
            series.add(new DashboardEvent.Series(i, s.label(), s.legend(), s.algorithm().id(), s.selected(),
                    style.css(), style.dash(), continual));
        }
        board.runStarted(new DashboardEvent.Run(name, NmsePlot.setting(title, e.clients(), e.dimension(), e.series(),
                e.trials()), e.clients(), e.dimension(), e.rounds(), e.trials(), run.description(), cluster, series),
                e.series());
    }

    /** The listener that feeds the board the run's progress and results, and passes them on to {@code delegate}. */
    static ProgressListener feeding(RunBoard board, ProgressListener delegate, ResultFiles.Run run) {
        return new DashboardFeed(board, delegate, run);
    }

    @Override
    public void seriesStarted(SeriesSpec series) {
        delegate.seriesStarted(series);
        board.seriesStarted(series);
    }

    @Override
    public void trialCompleted(SeriesSpec series, int trial) {
        delegate.trialCompleted(series, trial);
        board.trialCompleted(series);
    }

    @Override
    public void trialAccount(SeriesSpec series, int trial, int clients, long droppedPolls) {
        delegate.trialAccount(series, trial, clients, droppedPolls);
    }

    @Override
    public void seriesCompleted(SeriesResult result) {
        delegate.seriesCompleted(result);
        board.seriesCompleted(result.spec(), result.nmseDb(), summary(run, result), result.seconds());
    }

    /** The series' summary.csv row, column to cell exactly as the file has it, and the console's extra columns. */
    static Map<String, String> summary(ResultFiles.Run run, SeriesResult result) {
        final String[] columns = ResultFiles.SUMMARY_HEADER.split(",");
        final List<Object> row = ResultFiles.summaryRows(run, List.of(result)).get(0);
        final Map<String, String> summary = new LinkedHashMap<>();
        for (int c = 0; c < columns.length; c++) {
            summary.put(columns[c], String.valueOf(row.get(c)));
        }
        summary.put("updates_per_second", String.valueOf(result.updatesPerSecond()));
        summary.put("dropped_polls", String.valueOf(result.droppedPolls()));
        return summary;
    }
}
