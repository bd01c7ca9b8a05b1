package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The figure in its three formats: a PNG, an SVG that is valid XML, a PDF that PDFBox opens, each holding every series. */
class NmsePlotTest {

    @TempDir
    Path tmp;

    /** Two synthetic curves of 200 rounds; the second continual (dashed). */
    private static List<NmsePlot.Curve> curves() {
        final List<NmsePlot.Curve> curves = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            final double[] x = new double[200];
            final double[] db = new double[200];
            final double[] lo = new double[200];
            final double[] hi = new double[200];
            for (int n = 0; n < 200; n++) {
                x[n] = n + 1;
                db[n] = -30 + 25 * Math.exp(-n / 20.0) - 5 * s + Math.sin(n);
                lo[n] = db[n] - 1;
                hi[n] = db[n] + 1;
            }
            lo[0] = Double.NEGATIVE_INFINITY;                  // an interval that reaches zero NMSE
            curves.add(new NmsePlot.Curve("series " + s, s == 1, x, db, lo, hi));
        }
        return curves;
    }

    private static Document svg(Path file) throws Exception {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** Line segments stroked in a colour, and whether any of them is dashed (a legend entry). */
    private static int[] strokes(Document doc, Color c) {
        final String stroke = "stroke:rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ")";
        final NodeList lines = doc.getElementsByTagName("line");
        int count = 0;
        int dashed = 0;
        for (int i = 0; i < lines.getLength(); i++) {
            final String style = ((Element) lines.item(i)).getAttribute("style");
            if (style.contains(stroke)) {
                count++;
                dashed += style.contains("stroke-dasharray") ? 1 : 0;
            }
        }
        return new int[] {count, dashed};
    }

    @Test
    void writesPngSvgAndPdfHoldingEverySeries() throws Exception {
        final List<Path> files = NmsePlot.write(tmp, "nmse", "test: K = 6, L = 6", "round", curves(), true,
                NmsePlot.Format.ALL);
        assertEquals(List.of(tmp.resolve("nmse.png"), tmp.resolve("nmse.svg"), tmp.resolve("nmse.pdf")), files);
        final byte[] png = Files.readAllBytes(tmp.resolve("nmse.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));

        final Document doc = svg(tmp.resolve("nmse.svg"));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        final int[] solid = strokes(doc, Color.BLACK);
        final int[] dashed = strokes(doc, new Color(0xd62728));
        assertTrue(solid[0] >= 199, "the first series, drawn round by round: " + solid[0]);
        assertEquals(0, solid[1], "not dashed");
        // The continual series: drawn in dashes of data (about a third of its segments left out), and
        // its legend entry with a dashed stroke.
        assertTrue(dashed[0] > 100 && dashed[0] < 170, "a dashed series: " + dashed[0]);
        assertEquals(1, dashed[1], "its legend entry is dashed");
        assertTrue(doc.getElementsByTagName("ellipse").getLength() >= 10, "circle markers on the first series");

        try (PDDocument pdf = Loader.loadPDF(tmp.resolve("nmse.pdf").toFile())) {
            assertEquals(1, pdf.getNumberOfPages());
            // The page draws one form XObject holding the chart: its content stream holds the strokes.
            final PDResources resources = pdf.getPage(0).getResources();
            final List<Object> tokens = new ArrayList<>();
            for (COSName name : resources.getXObjectNames()) {
                if (resources.getXObject(name) instanceof PDFormXObject form) {
                    tokens.addAll(new PDFStreamParser(form).parse());
                }
            }
            int segments = 0;
            boolean black = false;
            boolean red = false;
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i) instanceof Operator op) {
                    segments += op.getName().equals("l") ? 1 : 0;
                    if (op.getName().equals("SC") && i >= 3) {                  // stroke colour, DeviceRGB
                        final float[] rgb = {((COSNumber) tokens.get(i - 3)).floatValue(),
                            ((COSNumber) tokens.get(i - 2)).floatValue(), ((COSNumber) tokens.get(i - 1)).floatValue()};
                        black |= rgb[0] < 0.01 && rgb[1] < 0.01 && rgb[2] < 0.01;
                        red |= Math.abs(rgb[0] - 214 / 255f) < 0.01 && Math.abs(rgb[1] - 39 / 255f) < 0.01;
                    }
                }
            }
            assertTrue(black && red, "both series' stroke colours");
            assertTrue(segments >= 199 + 100, "both curves' segments: " + segments);
        }
        final String tail = new String(Files.readAllBytes(tmp.resolve("nmse.pdf")), StandardCharsets.ISO_8859_1);
        assertTrue(tail.startsWith("%PDF-") && tail.stripTrailing().endsWith("%%EOF"));
    }

    @Test
    void roundAxisTicksAreRoundNumbers() {
        assertEquals(1, NmsePlot.niceStep(0.5));
        assertEquals(5, NmsePlot.niceStep(3));
        assertEquals(100, NmsePlot.niceStep(500 / 8.0));
        assertEquals(25, NmsePlot.niceStep(100 / 8.0 + 10));
        assertEquals(20, NmsePlot.niceStep(16));
        assertEquals(100, NmsePlot.niceStep(80));
    }

    @Test
    void continualCurvesAreDashedInDataAndShortOnesStaySolid() {
        final double[] db = new double[500];
        final double[] dashed = NmsePlot.dashed(db, true);
        int gaps = 0;
        for (double v : dashed) {
            gaps += Double.isNaN(v) ? 1 : 0;
        }
        assertEquals(150, gaps, "period 10, 7 drawn, 3 left out");
        assertArrayEquals(db, NmsePlot.dashed(db, false));
        assertArrayEquals(new double[30], NmsePlot.dashed(new double[30], true));
    }

    @Test
    void titleStatesTheSetting() {
        final var specs = List.of(
                new io.fedlink.core.engine.SeriesSpec(io.fedlink.core.algorithm.FederatedAlgorithm.RERCE, 4, 6.25e-4, 6.25e-4),
                new io.fedlink.core.engine.SeriesSpec(io.fedlink.core.algorithm.FederatedAlgorithm.RERCE_CONTINUAL, 4, 1e-2, 1e-2));
        assertEquals("paper-fig4: K = 100, L = 128, C = 4, σ² = 6.25e-4, 0.01, 100 trials",
                NmsePlot.setting("paper-fig4", 100, 128, specs, 100));
        assertEquals("x: C = 3, σ²up = 0.001; σ²down = 0.0, 0.01", NmsePlot.setting("x", null, null, List.of(
                new io.fedlink.core.engine.SeriesSpec(io.fedlink.core.algorithm.FederatedAlgorithm.RERCE, 3, 1e-3, 0),
                new io.fedlink.core.engine.SeriesSpec(io.fedlink.core.algorithm.FederatedAlgorithm.RERCE, 3, 1e-3, 1e-2)), 0));
    }

}
