package io.fedlink.cli;

import io.fedlink.core.engine.SeriesResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The learning curves as the paper draws them: NMSE in dB against round, one line per series. */
final class NmsePlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    private NmsePlot() {
    }

    static void write(Path file, String title, List<SeriesResult> results) throws IOException {
        draw(file, title, "round", results, false);
    }

    /** Free-running mode: the same curves against wall-clock seconds since the start-up round. */
    static void writeAgainstTime(Path file, String title, List<SeriesResult> results) throws IOException {
        draw(file, title, "seconds", results, true);
    }

    private static void draw(Path file, String title, String xAxis, List<SeriesResult> results, boolean againstTime)
            throws IOException {
        final XYChart chart = new XYChartBuilder().width(1000).height(640).title(title)
                .xAxisTitle(xAxis).yAxisTitle("NMSE (dB)").build();
        final XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setXAxisMin(againstTime ? 0.0 : 1.0);
        styler.setXAxisDecimalPattern(againstTime ? "#.##" : "#");
        styler.setXAxisTickMarkSpacingHint(140);
        styler.setYAxisDecimalPattern("#");
        int i = 0;
        for (SeriesResult r : results) {
            final double[] x = new double[r.rounds()];
            for (int n = 0; n < x.length; n++) {
                x[n] = againstTime ? r.roundSeconds()[n] : n + 1;
            }
            final XYSeries series = chart.addSeries(r.spec().legend(), x, r.nmseDb());
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(PALETTE[i % PALETTE.length]);
            // Continual updates dashed, as the paper sets its variants apart.
            if (r.spec().algorithm().stepsWhenNotPolled()) {
                series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {8f, 5f}, 0f));
            } else {
                series.setLineStyle(new BasicStroke(2f));
            }
            i++;
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
