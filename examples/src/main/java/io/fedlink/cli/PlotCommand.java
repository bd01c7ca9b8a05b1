package io.fedlink.cli;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.link.ChannelSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink plot}: redraws one or more results folders from their CSV files, without rerunning
 * anything, so that a figure can be restyled or several runs overlaid later.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Redraws the learning curves of results folders from their curves.csv, overlaid in one figure.",
            "Writes NAME.png (and .svg, .pdf with --format) to --out; never replaces a file without --force."
        })
final class PlotCommand implements Callable<Integer> {

    /** Longest default file name made of the folders' names; past it the figure is called "plot". */
    private static final int LONGEST_NAME = 80;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RESULTS_DIR", description = "Folders written by fedlink simulate.")
    List<Path> dirs;

    @Option(names = "--series", paramLabel = "REGEX",
            description = "Only the series whose name (curves.csv's series column) contains a match, e.g. 'continual'.")
    String seriesPattern;

    @Option(names = "--format", split = ",", paramLabel = "FMT",
            description = "png, svg, pdf, comma separated (default: png).")
    List<String> formats;

    @Option(names = "--band", description = "Draw each curve's 95%% confidence band (curves.csv's nmse_db_lo, nmse_db_hi).")
    boolean band;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the figure (default: the current folder).")
    Path out = Path.of(".");

    @Option(names = "--name", paramLabel = "NAME", description = "File name without extension (default: the "
            + "results folders' names joined by '+', or plot when that is long).")
    String name;

    @Option(names = "--force", description = "Replace figure files that already exist.")
    boolean force;

    /** One results folder as read back: its curves and what its summary says about the setting. */
    record Results(String label, List<NmsePlot.Curve> curves, List<SeriesSpec> specs, Integer clients,
                   Integer dimension, int trials, boolean incomplete, boolean hasBand) {
    }

    @Override
    public Integer call() throws IOException {
        final CommandLine cmd = spec.commandLine();
        final PrintWriter console = cmd.getOut();
        final List<NmsePlot.Format> chosen = formats(cmd);
        final Pattern filter = pattern(cmd);
        final Set<Path> seen = new LinkedHashSet<>();
        for (Path dir : dirs) {
            if (!seen.add(dir.toAbsolutePath().normalize())) {
                throw ExperimentOptions.usage(cmd, "RESULTS_DIR " + dir + " is given twice");
            }
        }
        final List<Results> all = new ArrayList<>();
        for (Path dir : dirs) {
            all.add(read(cmd, dir, filter));
        }
        if (all.stream().allMatch(r -> r.curves().isEmpty())) {
            throw ExperimentOptions.usage(cmd, "--series " + seriesPattern + ": matches no series in "
                    + String.join(", ", dirs.stream().map(Path::toString).toList()));
        }
        final String base = name != null ? name : defaultName(dirs);
        if (base.isBlank() || base.contains("/")) {
            throw ExperimentOptions.usage(cmd, "--name " + base + ": expected a file name without folders");
        }
        final String unwritable = ResultFiles.checkWritable(out);
        if (unwritable != null) {
            throw ExperimentOptions.usage(cmd, "--out " + out + ": " + unwritable);
        }
        final List<String> existing = new ArrayList<>();
        for (NmsePlot.Format f : chosen) {
            if (Files.exists(out.resolve(base + "." + f.extension()))) {
                existing.add(out.resolve(base + "." + f.extension()).toString());
            }
        }
        if (!existing.isEmpty() && !force) {
            throw ExperimentOptions.usage(cmd, String.join(", ", existing) + " already exists; use --force to replace "
                    + "it, or --out DIR / --name NAME for another file");
        }

        final boolean overlay = all.size() > 1;
        final List<NmsePlot.Curve> curves = new ArrayList<>();
        for (Results r : all) {
            for (NmsePlot.Curve c : r.curves()) {
                curves.add(overlay ? new NmsePlot.Curve(r.label() + ": " + c.name(), c.continual(), c.x(), c.db(),
                        c.lo(), c.hi()) : c);
            }
            if (r.incomplete()) {
                console.println("note: " + r.label() + " holds the partial results of a run that stopped early "
                        + "(curves-incomplete.csv; see its INCOMPLETE.txt)");
            }
            if (band && !r.hasBand()) {
                console.println("note: " + r.label() + " has no confidence band (one trial, or results written "
                        + "before curves.csv had nmse_db_lo and nmse_db_hi)");
            }
        }
        final List<NmsePlot.Curve> unique = uniqueNames(curves);
        final String title = title(all);
        final List<Path> written = NmsePlot.write(out, base, title, "round", unique, band, chosen);
        console.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
        console.flush();
        return 0;
    }

    private List<NmsePlot.Format> formats(CommandLine cmd) {
        if (formats == null) {
            return List.of(NmsePlot.Format.PNG);
        }
        final List<NmsePlot.Format> out = new ArrayList<>();
        final List<String> canonical = new ArrayList<>();
        for (String f : formats) {
            final String id = f.trim().toLowerCase(Locale.ROOT);
            try {
                out.add(NmsePlot.Format.valueOf(id.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ExperimentOptions.usage(cmd, "--format " + f + ": unknown format; expected png, svg or pdf");
            }
            canonical.add(id);
        }
        ExperimentOptions.refuseRepeats(cmd, "--format", canonical);
        return out;
    }

    private Pattern pattern(CommandLine cmd) {
        if (seriesPattern == null) {
            return null;
        }
        try {
            return Pattern.compile(seriesPattern);
        } catch (PatternSyntaxException e) {
            throw ExperimentOptions.usage(cmd, "--series " + seriesPattern + ": not a regular expression ("
                    + e.getDescription() + ")");
        }
    }

    private static String defaultName(List<Path> dirs) {
        final String joined = String.join("+", dirs.stream().map(PlotCommand::label).toList());
        final boolean safe = joined.chars().allMatch(c -> Character.isLetterOrDigit(c) || "._,=+-".indexOf(c) >= 0);
        return joined.length() <= LONGEST_NAME && safe && !joined.isEmpty() ? joined : "plot";
    }

    private static String label(Path dir) {
        final Path fileName = dir.toAbsolutePath().normalize().getFileName();
        return fileName == null ? dir.toString() : fileName.toString();
    }

    /** Reads a results folder's curves (and its summary's setting); a usage error when it has none. */
    static Results read(CommandLine cmd, Path dir, Pattern filter) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw ExperimentOptions.usage(cmd, "RESULTS_DIR " + dir + ": no such folder");
        }
        Path file = dir.resolve(ResultFiles.CURVES);
        boolean incomplete = false;
        if (!Files.isRegularFile(file)) {
            file = dir.resolve(ResultFiles.incomplete(ResultFiles.CURVES));
            incomplete = true;
            if (!Files.isRegularFile(file)) {
                throw ExperimentOptions.usage(cmd, "RESULTS_DIR " + dir + ": no " + ResultFiles.CURVES
                        + " there (a folder written by fedlink simulate holds one)");
            }
        }
        final Map<String, List<CSVRecord>> bySeries = new LinkedHashMap<>();
        final boolean hasBandColumns;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = headed().parse(reader)) {
            for (String column : List.of("series", "algorithm", "selected", "uplink_noise", "downlink_noise", "round",
                    "nmse_db")) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw ExperimentOptions.usage(cmd, "RESULTS_DIR " + dir + ": " + file.getFileName()
                            + " has no column " + column);
                }
            }
            hasBandColumns = parser.getHeaderMap().containsKey("nmse_db_lo")
                    && parser.getHeaderMap().containsKey("nmse_db_hi");
            for (CSVRecord row : parser) {
                final String series = row.get("series");
                if (filter == null || filter.matcher(series).find()) {
                    bySeries.computeIfAbsent(series, s -> new ArrayList<>()).add(row);
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw ExperimentOptions.usage(cmd, "RESULTS_DIR " + dir + ": " + file.getFileName()
                    + " cannot be read as CSV (" + e.getMessage() + ")");
        }
        final List<NmsePlot.Curve> curves = new ArrayList<>();
        final List<SeriesSpec> specs = new ArrayList<>();
        boolean anyBand = false;
        for (Map.Entry<String, List<CSVRecord>> e : bySeries.entrySet()) {
            final List<CSVRecord> rows = e.getValue();
            final double[] x = new double[rows.size()];
            final double[] db = new double[rows.size()];
            final double[] lo = new double[rows.size()];
            final double[] hi = new double[rows.size()];
            boolean band = hasBandColumns;
            for (int i = 0; i < rows.size(); i++) {
                final CSVRecord row = rows.get(i);
                try {
                    x[i] = Double.parseDouble(row.get("round"));
                    db[i] = Double.parseDouble(row.get("nmse_db"));
                    if (band && !row.get("nmse_db_lo").isEmpty() && !row.get("nmse_db_hi").isEmpty()) {
                        lo[i] = Double.parseDouble(row.get("nmse_db_lo"));
                        hi[i] = Double.parseDouble(row.get("nmse_db_hi"));
                    } else {
                        band = false;
                    }
                } catch (IllegalArgumentException bad) {
                    throw ExperimentOptions.usage(cmd, "RESULTS_DIR " + dir + ": " + file.getFileName() + " line "
                            + row.getRecordNumber() + " holds no number where one belongs (" + bad.getMessage() + ")");
                }
            }
            anyBand |= band;
            final CSVRecord first = rows.get(0);
            String legend = e.getKey();
            try {
                final FederatedAlgorithm algorithm = FederatedAlgorithm.byId(first.get("algorithm"));
                final java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
                if (first.isMapped("algorithm_options") && first.isSet("algorithm_options")) {
                    for (String pair : first.get("algorithm_options").trim().split("\\s+")) {
                        final int eq = pair.indexOf('=');
                        if (eq > 0) {
                            options.put(pair.substring(0, eq), pair.substring(eq + 1));
                        }
                    }
                }
                // Folders written before the channel columns existed are awgn both ways.
                final boolean channels = first.isSet("uplink_channel") && !first.get("uplink_channel").isEmpty()
                        && first.isSet("downlink_channel") && !first.get("downlink_channel").isEmpty();
                final SeriesSpec s = new SeriesSpec(algorithm, Integer.parseInt(first.get("selected")),
                        Double.parseDouble(first.get("uplink_noise")), Double.parseDouble(first.get("downlink_noise")),
                        channels ? ChannelSpec.parse(first.get("uplink_channel")) : ChannelSpec.AWGN,
                        channels ? ChannelSpec.parse(first.get("downlink_channel")) : ChannelSpec.AWGN,
                        new io.fedlink.core.link.LinkBudget.Uniform(), io.fedlink.core.algorithm.MissingUploads.RECEIVED,
                        io.fedlink.core.algorithm.AlgorithmSettings.of(algorithm, options));
                specs.add(s);
                legend = s.legend() + settingsOf(e.getKey());
            } catch (IllegalArgumentException unknown) {
                // an algorithm this version does not know: the series column names it
            }
            curves.add(new NmsePlot.Curve(legend, NmsePlot.continual(first.get("algorithm")), x, db,
                    band ? lo : null, band ? hi : null));
        }
        final Integer[] setting = summarySetting(dir, incomplete);
        return new Results(label(dir), curves, specs, setting[0], setting[1], setting[2] == null ? 0 : setting[2],
                incomplete, anyBand);
    }

    /**
     * The link budget and missing-upload rule as the series' name writes them (curves.csv has no
     * column of its own for them), in the legend's form: {@code , budget=pathloss:3.0}.
     */
    static String settingsOf(String seriesName) {
        final StringBuilder b = new StringBuilder();
        for (String token : seriesName.split(" ")) {
            if (token.startsWith("budget=") || token.startsWith("missing=")) {
                b.append(", ").append(token);
            }
        }
        return b.toString();
    }

    /** K, L and the trials from summary.csv (or its incomplete form), each null when not there. */
    private static Integer[] summarySetting(Path dir, boolean incomplete) {
        final Path file = dir.resolve(incomplete ? ResultFiles.incomplete(ResultFiles.SUMMARY) : ResultFiles.SUMMARY);
        final Integer[] out = new Integer[3];
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = headed().parse(reader)) {
            final List<CSVRecord> rows = parser.getRecords();
            final String[] columns = {"clients", "dim", "trials"};
            for (int i = 0; i < columns.length; i++) {
                final Set<String> values = new LinkedHashSet<>();
                for (CSVRecord row : rows) {
                    if (row.isMapped(columns[i]) && row.isSet(columns[i])) {
                        values.add(row.get(columns[i]));
                    }
                }
                if (values.size() == 1) {
                    out[i] = Integer.valueOf(values.iterator().next());
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Integer[3];                 // the title then leaves the setting out
        }
        return out;
    }

    private static CSVFormat headed() {
        return ResultFiles.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get();
    }

    private static String title(List<Results> all) {
        final List<SeriesSpec> specs = new ArrayList<>();
        final Set<Integer> ks = new LinkedHashSet<>();
        final Set<Integer> ls = new LinkedHashSet<>();
        final Set<Integer> ms = new LinkedHashSet<>();
        for (Results r : all) {
            specs.addAll(r.specs());
            ks.add(r.clients());
            ls.add(r.dimension());
            ms.add(r.trials());
        }
        final String names = String.join(" + ", all.stream().map(r -> r.label() + (r.incomplete() ? " (incomplete)" : ""))
                .toList());
        return NmsePlot.setting(names, ks.size() == 1 ? ks.iterator().next() : null,
                ls.size() == 1 ? ls.iterator().next() : null, specs, ms.size() == 1 ? ms.iterator().next() : 0);
    }

    /** Legend names must differ (XChart refuses repeats): a repeat gets " (2)", " (3)", ... */
    private static List<NmsePlot.Curve> uniqueNames(List<NmsePlot.Curve> curves) {
        final Map<String, Integer> seen = new LinkedHashMap<>();
        final List<NmsePlot.Curve> out = new ArrayList<>();
        for (NmsePlot.Curve c : curves) {
            final int n = seen.merge(c.name(), 1, Integer::sum);
            out.add(n == 1 ? c : new NmsePlot.Curve(c.name() + " (" + n + ")", c.continual(), c.x(), c.db(), c.lo(),
                    c.hi()));
        }
        return out;
    }
}
