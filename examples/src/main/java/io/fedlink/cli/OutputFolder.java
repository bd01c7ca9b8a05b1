package io.fedlink.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * Where a run writes, and the rule that results are never lost: the default folder is named after
 * the run (the preset alone only when its settings are unchanged), and a folder that already holds
 * results is refused unless {@code --force} (or, with {@code --checkpoint-every}, when the run
 * resumes its own checkpoint there).
 */
final class OutputFolder {

    /** Longest default folder name spelled out flag by flag; longer ones are named by a hash. */
    static final int LONGEST_DESCRIPTIVE_NAME = 80;

    /** Files a run writes into its folder: what --force replaces (sub-folders of a sweep aside). */
    private static final List<String> OUTPUTS = List.of(ResultFiles.CURVES, ResultFiles.SUMMARY, ResultFiles.TRIALS,
            ResultFiles.TIME_CURVES, ResultFiles.COMMAND, ResultFiles.PLOT, "nmse.svg", "nmse.pdf",
            ResultFiles.TIME_PLOT, ResultFiles.INCOMPLETE, Sweep.CSV, Sweep.PLOT, ResultFiles.PARTITION);

    private OutputFolder() {
    }

    /**
     * The default folder: {@code results/<preset>} when the run is exactly the preset, else the
     * preset (or {@code custom}) followed by every setting that differs from it, as
     * {@code _name=value} in the order of the explicit command line, e.g.
     * {@code results/paper-fig4_rounds=5_trials=2}; past {@value #LONGEST_DESCRIPTIVE_NAME}
     * characters, {@code results/<preset or custom>_<8 hex digits of the explicit command line>}.
     * The same settings always give the same folder, so a checkpointed run finds its checkpoint again.
     *
     * @param base        the preset's id, or {@code custom}
     * @param explicit    the run's explicit arguments ({@code --flag value ...})
     * @param baseline    the explicit arguments of the preset (or of the defaults) alone
     * @param suffix      appended as is (a sweep's {@code _sweep-rho}); empty for none
     */
    static Path defaultFor(String base, String explicit, String baseline, String suffix) {
        return defaultFor(base, explicit, baseline, suffix, java.util.Set.of());
    }

    /** As above, leaving out the flags in {@code ignore} (a sweep's swept flags, named in its suffix). */
    static Path defaultFor(String base, String explicit, String baseline, String suffix, java.util.Set<String> ignore) {
        final Map<String, String> run = pairs(explicit);
        final Map<String, String> reference = pairs(baseline);
        final StringBuilder name = new StringBuilder(base);
        for (Map.Entry<String, String> e : run.entrySet()) {
            if (!ignore.contains(e.getKey()) && !Objects.equals(reference.get(e.getKey()), e.getValue())) {
                name.append('_').append(e.getKey()).append('=').append(e.getValue());
            }
        }
        name.append(suffix);
        final boolean safe = name.chars().allMatch(c -> Character.isLetterOrDigit(c) || "._,=+-".indexOf(c) >= 0);
        final String folder = name.length() <= LONGEST_DESCRIPTIVE_NAME && safe ? name.toString()
                : base + "_" + String.format("%08x", explicit.hashCode()) + suffix;
        return Path.of("results", folder);
    }

    /** "--a 1 --b x,y" as {a=1, b=x,y}, in order; a flag without a value maps to "on". */
    private static Map<String, String> pairs(String arguments) {
        final Map<String, String> out = new LinkedHashMap<>();
        final String[] tokens = arguments.trim().isEmpty() ? new String[0] : arguments.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].startsWith("--")) {
                final String key = tokens[i].substring(2);
                final boolean hasValue = i + 1 < tokens.length && !tokens[i + 1].startsWith("--");
                out.put(key, hasValue ? tokens[++i] : "on");
            }
        }
        return out;
    }

    /**
     * Makes {@code dir} ready for a run, or refuses it with a usage error naming the folder and the
     * ways out. A folder holding results (or a checkpoint the run will not resume) is refused unless
     * {@code force}; with {@code force}, or when {@code resuming}, the files an earlier run left are
     * removed first, so that nothing stale can pass for this run's result.
     *
     * @param given    true when the folder came from --out (the message then names the flag)
     * @param resuming true when the run resumes a checkpoint in this folder (not an overwrite)
     */
    static void claim(CommandLine cmd, Path dir, boolean given, boolean force, boolean resuming) throws IOException {
        if (!check(cmd, dir, given, force, resuming).isEmpty() || resuming) {
            removeOutputs(dir);
        }
        Files.createDirectories(dir);
    }

    /**
     * The checks of {@link #claim} without touching anything but a probe file (the folder itself is
     * not made: a run refused after this leaves nothing behind): returns what the folder holds that
     * the run would replace (empty when nothing).
     */
    static List<String> check(CommandLine cmd, Path dir, boolean given, boolean force, boolean resuming) {
        final String unwritable = ResultFiles.checkCreatable(dir);
        if (unwritable != null) {
            throw ExperimentOptions.usage(cmd, "--out " + dir + ": " + unwritable);
        }
        final List<String> found = new ArrayList<>(ResultFiles.resultsIn(dir));
        final boolean checkpoint = Files.isDirectory(dir.resolve(Checkpoints.FOLDER));
        if (checkpoint && !resuming) {
            found.add(Checkpoints.FOLDER + "/");
        }
        if (!found.isEmpty() && !force && !resuming) {
            final String which = given ? "--out " + dir : dir + " (the default --out for these settings)";
            throw ExperimentOptions.usage(cmd, which + ": holds the results of an earlier run ("
                    + String.join(", ", found) + "); use --force to replace them, or --out DIR for another folder"
                    + (checkpoint ? " (or --checkpoint-every N to resume its checkpoint)" : ""));
        }
        return found;
    }

    /** Removes the files a run writes (and their incomplete forms); a checkpoint is left to --fresh. */
    static void removeOutputs(Path dir) throws IOException {
        for (String name : OUTPUTS) {
            Files.deleteIfExists(dir.resolve(name));
            if (name.endsWith(".csv")) {
                Files.deleteIfExists(dir.resolve(ResultFiles.incomplete(name)));
            }
        }
    }

    /** Removes what a run that stopped early left, once the run has completed. */
    static void removeIncomplete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(ResultFiles.INCOMPLETE));
        for (String name : OUTPUTS) {
            if (name.endsWith(".csv")) {
                Files.deleteIfExists(dir.resolve(ResultFiles.incomplete(name)));
            }
        }
    }

    /** Writes a small text file (UTF-8). */
    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
