package io.fedlink.cli;

import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.theory.TheoryReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * theory.png as the paper's Figures 8-10 draw it: steady-state NMSE against the swept quantity,
 * theory as lines, simulation as markers, the paper's approximation dashed where it is finite.
 */
final class TheoryPlot {

    record Point(int selected, double uplink, double downlink) {
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd)};

    private TheoryPlot() {
    }

    static void write(Path file, String title, String axis, List<Point> points, List<TheoryReport> reports,
                      double[] simulated) throws IOException {
        final String along = axis == null ? "selected" : axis;
        final String xTitle = switch (along) {
            case "uplink" -> "uplink noise variance";
            case "downlink" -> "downlink noise variance";
            default -> "clients polled per round C";
        };
        final XYChart chart = new XYChartBuilder().width(1000).height(640).title(title).xAxisTitle(xTitle)
                .yAxisTitle("steady-state NMSE (dB)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        // One line per setting of whatever is not swept.
        final Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            final Point p = points.get(i);
            final String key = switch (along) {
                case "uplink" -> "C=" + p.selected() + ", down=" + SeriesSpec.format(p.downlink());
                case "downlink" -> "C=" + p.selected() + ", up=" + SeriesSpec.format(p.uplink());
                default -> "up=" + SeriesSpec.format(p.uplink()) + ", down=" + SeriesSpec.format(p.downlink());
            };
            groups.computeIfAbsent(key, g -> new ArrayList<>()).add(i);
        }
        int colour = 0;
        for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
            final List<Integer> idx = group.getValue();
            final double[] x = new double[idx.size()];
            final double[] theory = new double[idx.size()];
            final double[] sim = new double[idx.size()];
            final List<Double> paperX = new ArrayList<>();
            final List<Double> paperY = new ArrayList<>();
            for (int j = 0; j < idx.size(); j++) {
                final Point p = points.get(idx.get(j));
                x[j] = switch (along) {
                    case "uplink" -> p.uplink();
                    case "downlink" -> p.downlink();
                    default -> p.selected();
                };
                theory[j] = reports.get(idx.get(j)).steadyStateDb();
                sim[j] = simulated[idx.get(j)];
                final double paper = reports.get(idx.get(j)).paperApproximationDb();
                if (Double.isFinite(paper)) {
                    paperX.add(x[j]);
                    paperY.add(paper);
                }
            }
            final Color c = PALETTE[colour++ % PALETTE.length];
            final XYSeries line = chart.addSeries("theory, " + group.getKey(), x, theory);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(c);
            final XYSeries markers = chart.addSeries("simulation, " + group.getKey(), x, sim);
            markers.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            markers.setMarker(SeriesMarkers.CIRCLE);
            markers.setMarkerColor(c);
            if (!paperX.isEmpty()) {
                final XYSeries paper = chart.addSeries("paper's approximation, " + group.getKey(), paperX, paperY);
                paper.setMarker(SeriesMarkers.NONE);
                paper.setLineColor(c);
                paper.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {6f, 4f}, 0f));
            }
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
