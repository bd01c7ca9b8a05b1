package io.fedlink.cli;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.metric.ConfidenceBand;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curves as the paper draws them: NMSE in dB against round, one line per series, told
 * apart by colour, by line style (continual updates dashed, as the paper sets its variants apart)
 * and by a marker every tenth of the horizon, so that a greyscale print still separates ten
 * series; round ticks at round numbers; the legend outside the data; a title that states the
 * setting. Written as PNG, SVG and PDF (XChart's vector graphics export).
 */
final class NmsePlot {

    /** The image formats a figure is written in. */
    enum Format {
        PNG, SVG, PDF;

        static final List<Format> ALL = List.of(values());

        String extension() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One line of the figure.
     *
     * @param name      legend text
     * @param continual drawn dashed (an algorithm that steps when not polled)
     * @param x         round numbers, or seconds
     * @param db        NMSE in dB
     * @param lo        the band's lower end in dB (may hold -infinity), or null
     * @param hi        the band's upper end in dB, or null
     */
    record Curve(String name, boolean continual, double[] x, double[] db, double[] lo, double[] hi) {
    }

    /** Colours that stay apart in colour and as distinct greys. */
    private static final Color[] PALETTE = {
        new Color(0x000000), new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22),
    };
    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.OVAL,
        new org.knowm.xchart.style.markers.Trapezoid(), new org.knowm.xchart.style.markers.Rectangle(),
    };
    private static final float LINE_WIDTH = 1.6f;
    /** Long dashes: short ones vanish in a noisy curve at hundreds of rounds. */
    private static final float[] DASH = {14f, 7f};
    private static final float[] DOT_DASH = {14f, 5f, 3f, 5f};

    private NmsePlot() {
    }

    /**
     * How the {@code index}-th curve of a figure is drawn: its colour, and its dash pattern (drawn, gap,
     * ...; empty for a solid line). The dashboard draws its curves with the same.
     */
    record Style(Color colour, float[] dash) {

        /** The colour as CSS writes it, {@code #rrggbb}. */
        String css() {
            return String.format(Locale.ROOT, "#%06x", colour.getRGB() & 0xffffff);
        }
    }

    static Style style(int index, boolean continual) {
        final int cycle = index / PALETTE.length;
        final float[] dash = cycle > 0 ? DOT_DASH : continual ? DASH : new float[0];
        return new Style(PALETTE[index % PALETTE.length], dash.clone());
    }

    /** The curves of an experiment, against round or (free-running) against seconds, with their bands. */
    static List<Curve> curves(List<SeriesResult> results, boolean againstTime) {
        final List<Curve> curves = new ArrayList<>();
        for (SeriesResult r : results) {
            final double[] x = new double[r.rounds()];
            for (int n = 0; n < x.length; n++) {
                x[n] = againstTime ? r.roundSeconds()[n] : n + 1;
            }
            final ConfidenceBand band = r.band();
            curves.add(new Curve(r.spec().legend(), r.spec().algorithm().stepsWhenNotPolled(), x, r.nmseDb(),
                    band == null ? null : band.lowerDb(), band == null ? null : band.upperDb()));
        }
        return curves;
    }

    /** Whether an algorithm id names one that steps when not polled (drawn dashed); false if unknown. */
    static boolean continual(String algorithmId) {
        try {
            return FederatedAlgorithm.byId(algorithmId).stepsWhenNotPolled();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The figure's title: what ran and its setting, e.g. {@code paper-fig4: K = 100, L = 128, C = 4, σ² = ...}. */
    static String setting(String title, Experiment experiment, List<SeriesResult> results) {
        return setting(title, experiment.clients(), experiment.dimension(),
                results.stream().map(SeriesResult::spec).toList(), experiment.trials());
    }

    /**
     * The title from its parts: K and L when known (null otherwise), the distinct C values and link
     * variances of the series, and the trials (0 when unknown).
     */
    static String setting(String title, Integer clients, Integer dimension, List<SeriesSpec> series, int trials) {
        final Set<String> cs = new LinkedHashSet<>();
        final Set<String> links = new LinkedHashSet<>();
        final Set<String> ups = new LinkedHashSet<>();
        final Set<String> downs = new LinkedHashSet<>();
        boolean symmetric = true;
        for (SeriesSpec s : series) {
            cs.add(String.valueOf(s.selected()));
            links.add(SeriesSpec.format(s.uplinkVariance()));
            ups.add(SeriesSpec.format(s.uplinkVariance()));
            downs.add(SeriesSpec.format(s.downlinkVariance()));
            symmetric &= s.uplinkVariance() == s.downlinkVariance();
        }
        final List<String> parts = new ArrayList<>();
        if (clients != null) {
            parts.add("K = " + clients);
        }
        if (dimension != null) {
            parts.add("L = " + dimension);
        }
        if (!cs.isEmpty()) {
            parts.add("C = " + String.join(", ", cs));
        }
        if (!series.isEmpty()) {
            parts.add(symmetric ? "σ² = " + String.join(", ", links)
                    : "σ²up = " + String.join(", ", ups) + "; σ²down = " + String.join(", ", downs));
        }
        if (trials > 0) {
            parts.add(SimulateCommand.count(trials, "trial"));
        }
        return title + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }

    /**
     * Draws the curves and writes {@code dir/baseName.<format>} for each format.
     *
     * @param band draw each curve's 95% band (where it has one) as a light area behind it
     * @return the files written
     */
    static List<Path> write(Path dir, String baseName, String title, String xAxis, List<Curve> curves, boolean band,
                            List<Format> formats) throws IOException {
        final XYChart chart = chart(title, xAxis, curves, band);
        final List<Path> written = new ArrayList<>();
        for (Format format : formats) {
            final Path file = dir.resolve(baseName + "." + format.extension());
            switch (format) {
                case PNG -> BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
                case SVG -> VectorGraphicsEncoder.saveVectorGraphic(chart, file.toString(),
                        VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                case PDF -> VectorGraphicsEncoder.saveVectorGraphic(chart, file.toString(),
                        VectorGraphicsEncoder.VectorGraphicsFormat.PDF);
                default -> throw new IllegalArgumentException(format.toString());
            }
            written.add(file);
        }
        return written;
    }

    static XYChart chart(String title, String xAxis, List<Curve> curves, boolean band) {
        final XYChart chart = new XYChartBuilder().width(1200).height(640).title(title)
                .xAxisTitle(xAxis).yAxisTitle("NMSE (dB)").build();
        final XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setLegendSeriesLineLength(40);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setPlotBorderColor(Color.BLACK);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setYAxisDecimalPattern("#");

        double xMax = 0;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Curve c : curves) {
            for (int i = 0; i < c.x().length; i++) {
                xMax = Math.max(xMax, c.x()[i]);
                if (Double.isFinite(c.db()[i])) {
                    yMin = Math.min(yMin, c.db()[i]);
                    yMax = Math.max(yMax, c.db()[i]);
                }
                if (band && c.hi() != null && Double.isFinite(c.hi()[i])) {
                    yMax = Math.max(yMax, c.hi()[i]);
                }
                if (band && c.lo() != null && Double.isFinite(c.lo()[i])) {
                    yMin = Math.min(yMin, c.lo()[i]);
                }
            }
        }
        final boolean againstRounds = xAxis.equals("round");
        if (againstRounds) {
            // Ticks at round numbers: the axis spans 0..T rounded up to the tick step, at 5-10 ticks.
            final double step = niceStep(xMax / 8);
            styler.setXAxisMin(0.0);
            styler.setXAxisMax(Math.ceil(xMax / step) * step);
            styler.setXAxisDecimalPattern("#");
        } else {
            styler.setXAxisMin(0.0);
            styler.setXAxisDecimalPattern("#.##");
        }
        if (Double.isFinite(yMin) && Double.isFinite(yMax)) {
            final double pad = Math.max(1.0, 0.04 * (yMax - yMin));
            styler.setYAxisMin(Math.floor(yMin - pad));
            styler.setYAxisMax(Math.ceil(yMax + pad));
        }
        final double floor = Double.isFinite(yMin) ? Math.floor(yMin - Math.max(1.0, 0.04 * (yMax - yMin))) : -400;

        for (int i = 0; i < curves.size(); i++) {
            final Curve c = curves.get(i);
            final Style style = style(i, c.continual());
            final Color colour = style.colour();
            final Marker marker = MARKERS[i % MARKERS.length];
            final BasicStroke stroke = stroke(style);
            if (band && c.lo() != null && c.hi() != null) {
                addBand(chart, c, colour, floor);
            }
            final XYSeries line = chart.addSeries(c.name() + " ", c.x(), dashed(finiteOrNaN(c.db()), c.continual()));
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(colour);
            line.setLineStyle(new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
            line.setShowInLegend(false);
            // Markers every tenth of the horizon, staggered so that curves that meet do not hide them.
            final int count = c.x().length;
            final int every = Math.max(1, count / 10);
            final int offset = (every * (i % MARKERS.length)) / MARKERS.length;
            final List<Double> mx = new ArrayList<>();
            final List<Double> my = new ArrayList<>();
            for (int n = offset; n < count; n += every) {
                if (Double.isFinite(c.db()[n])) {
                    mx.add(c.x()[n]);
                    my.add(c.db()[n]);
                }
            }
            if (!mx.isEmpty()) {
                final XYSeries markers = chart.addSeries(c.name() + "  ", mx, my);
                markers.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                markers.setMarker(marker);
                markers.setMarkerColor(colour);
                markers.setShowInLegend(false);
            }
            // The legend entry: line style and marker together, a series with nothing to draw. Its x, off
            // the data's grid, also keeps XChart from putting ticks on data values (1, 17, 33, ...)
            // instead of round numbers, as it does when every x value is equally spaced.
            final XYSeries legend = chart.addSeries(c.name(), new double[] {0.5}, new double[] {Double.NaN});
            legend.setMarker(marker);
            legend.setMarkerColor(colour);
            legend.setLineColor(colour);
            legend.setLineStyle(stroke);
        }
        return chart;
    }

    private static void addBand(XYChart chart, Curve c, Color colour, double floor) {
        final int n = c.x().length;
        final List<Double> px = new ArrayList<>(2 * n);
        final List<Double> py = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(c.hi()[i]) || Double.isNaN(c.lo()[i])) {
                continue;
            }
            px.add(c.x()[i]);
            py.add(Double.isFinite(c.hi()[i]) ? c.hi()[i] : floor);
        }
        for (int i = n - 1; i >= 0; i--) {
            if (Double.isNaN(c.hi()[i]) || Double.isNaN(c.lo()[i])) {
                continue;
            }
            px.add(c.x()[i]);
            py.add(Double.isFinite(c.lo()[i]) ? Math.max(c.lo()[i], floor) : floor);   // -inf: down to the axis
        }
        if (px.size() < 3) {
            return;
        }
        final XYSeries area = chart.addSeries(c.name() + " (95% band)", px, py);
        area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        area.setMarker(SeriesMarkers.NONE);
        area.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 48));
        area.setLineColor(new Color(0, 0, 0, 0));
        area.setShowInLegend(false);
    }

    /** Solid, or dashed for continual updates; a second round of the palette dot-dashes. */
    private static BasicStroke stroke(Style style) {
        if (style.dash().length == 0) {
            return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
        }
        return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, style.dash(), 0f);
    }

    /**
     * Dashes in data space: XChart draws a line segment by segment, so a stroke's dash pattern starts
     * afresh on every segment and a curve of hundreds of rounds (segments of a pixel or two) comes out
     * solid. Instead a continual curve leaves out (NaN) one point in every few, which XChart draws as
     * a gap: about 50 dashes over the horizon, two thirds drawn. Curves under 40 rounds stay solid.
     */
    static double[] dashed(double[] db, boolean continual) {
        if (!continual || db.length < 40) {
            return db;
        }
        final int period = Math.max(3, (int) Math.round(db.length / 50.0));
        final int drawn = (int) Math.ceil(2.0 * period / 3);
        final double[] out = db.clone();
        for (int n = 0; n < out.length; n++) {
            if (n % period >= drawn) {
                out[n] = Double.NaN;
            }
        }
        return out;
    }

    private static double[] finiteOrNaN(double[] values) {
        final double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = Double.NaN;                          // a gap, not an axis stretched to infinity
            }
        }
        return out;
    }

    /** The smallest of 1, 2, 5 x 10^k at least {@code raw} (and at least 1: rounds are whole). */
    static double niceStep(double raw) {
        if (!(raw > 1)) {
            return 1;
        }
        final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw && (m != 2.5 || magnitude >= 10)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
