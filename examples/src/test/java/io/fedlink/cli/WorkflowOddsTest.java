package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smaller rough edges of issue 10: benchmark's one rate, data-generation progress, the launcher's clean build. */
class WorkflowOddsTest {

    @TempDir
    Path tmp;

    @Test
    void benchmarkCsvRecordsTheRateTheConsolePrints() throws Exception {
        final Path dir = tmp.resolve("bench");
        final SimulateCommandTest.Run run = SimulateCommandTest.run("benchmark", "--clients", "6", "--dim", "6",
                "--samples", "2-5", "--rounds", "10", "--trials", "2", "--selected", "3", "--compare",
                "--out", dir.toString());
        assertEquals(0, run.status(), run.err());
        final Matcher printed = Pattern.compile("run 1, (reference|actors)[^:]*:\\s+\\S+ s\\s+(\\d+) client updates per "
                + "second end to end").matcher(run.out());
        final List<String> rows = Files.readAllLines(dir.resolve("benchmark.csv"));
        assertEquals(3, rows.size(), "header and one row per engine");
        for (String row : rows.subList(1, 3)) {
            assertTrue(printed.find(), run.out());
            final String[] cells = row.split(",");
            assertTrue(cells[1].startsWith(printed.group(1)), row);
            assertEquals(printed.group(2), cells[12], "benchmark.csv and the console: " + row + " / " + run.out());
        }
    }

    @Test
    void dataGenerationShowsProgressOnceItTakesAWhile() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GenerationProgress progress = new GenerationProgress(40, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                false, 0)) {
            for (int k = 1; k <= 40; k++) {
                progress.accept(k);
            }
        }
        final String log = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.startsWith("generating data: 40 clients"), log);
        assertTrue(log.contains("generating data:  50% (20/40 clients)"), log);
        assertEquals(1 + 10, log.lines().count(), "a line every 10%: " + log);
        assertTrue(log.contains("100% (40/40 clients)"), log);
        final ByteArrayOutputStream quick = new ByteArrayOutputStream();
        try (GenerationProgress progress = new GenerationProgress(40, new PrintStream(quick, true, StandardCharsets.UTF_8),
                false, java.util.concurrent.TimeUnit.HOURS.toNanos(1))) {
            for (int k = 1; k <= 40; k++) {
                progress.accept(k);
            }
        }
        assertEquals("", quick.toString(StandardCharsets.UTF_8), "a quick generation shows nothing");
    }

    /**
     * ./fedlink builds with Maven on first use: the flags and JVM options it builds with give a console
     * without escape codes (Maven 3.8 writes ESC[0m on shutdown even with -B -q). Runs Maven's validate
     * phase on this project with exactly those settings.
     */
    @Test
    void theLauncherBuildsWithoutEscapeCodes() throws Exception {
        final Path root = Path.of("").toAbsolutePath().getParent();
        final String script = Files.readString(root.resolve("fedlink"));
        final Matcher flags = Pattern.compile("(?m)^build_flags=\"([^\"]*)\"").matcher(script);
        final Matcher jvm = Pattern.compile("(?m)^build_jvm_opts=\"([^\"]*)\"").matcher(script);
        assertTrue(flags.find() && jvm.find(), "the launcher names its build flags");
        assertTrue(script.contains("MAVEN_OPTS=\"${MAVEN_OPTS:-} $build_jvm_opts\" mvn $build_flags"), script);
        Assumptions.assumeTrue(onPath("mvn"), "needs mvn");
        final List<String> command = new java.util.ArrayList<>(List.of("mvn"));
        command.addAll(List.of(flags.group(1).split(" ")));
        command.addAll(List.of("-N", "-o", "validate"));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("MAVEN_OPTS", jvm.group(1));
        final Process mvn = builder.start();
        final byte[] output = mvn.getInputStream().readAllBytes();
        assertTrue(mvn.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, mvn.exitValue(), new String(output, StandardCharsets.UTF_8));
        for (byte b : output) {
            assertFalse(b == 0x1b, "an escape code in the build's output: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    @Test
    void theLaunchersJitOptionsAreTakenNameRealMethodsAndPrintNothing() throws Exception {
        // The launcher keeps the link noise's kernel out of line and limits C2's inlining of compiled code
        // (docs/performance.md). A directive that names no method does nothing, silently; one the JVM cannot
        // parse prints on standard output, ahead of every command's own output; a flag the JVM does not take
        // as written tunes nothing.
        final String script = launcher();
        final Matcher jit = Pattern.compile("(?m)^\\s*jit(\\+?)=\\(([^)]*)\\)\\s*(#.*)?$").matcher(script);
        final List<String> options = new java.util.ArrayList<>();
        while (jit.find()) {
            if (jit.group(1).isEmpty()) {
                options.clear();                                       // jit=( starts the list afresh
            }
            options.addAll(List.of(jit.group(2).replace("\"", "").trim().split("\\s+")));
        }
        assertTrue(!options.isEmpty() && script.contains("\"${jit[@]}\""), "the launcher passes its JIT options: "
                + script);
        final Matcher method = Pattern.compile("dontinline,([\\w.]+)::(\\w+)").matcher(String.join(" ", options));
        int directives = 0;
        while (method.find()) {
            directives++;
            final String type = method.group(1);
            final String name = method.group(2);
            assertTrue(java.util.Arrays.stream(Class.forName(type).getDeclaredMethods())
                    .anyMatch(m -> m.getName().equals(name)), method.group(0) + " names no method");
        }
        assertTrue(directives > 0, options.toString());
        assertEquals("", javaVersionOutput(options), "the JVM printed on standard output");

        final List<String> flags = options.stream().filter(o -> o.matches("-XX:\\w+=\\d+")).toList();
        assertTrue(flags.stream().anyMatch(f -> f.startsWith("-XX:InlineSmallCode=")), options.toString());
        final String finalFlags = finalFlags(options);
        for (String flag : flags) {
            assertTrue(taken(finalFlags, flag), "the JVM took " + flag);
        }
    }

    @Test
    void theLaunchersCollectorOptionsAreTakenByTheJvmAndTheUsersOwnComeAfter() throws Exception {
        // For fedlink scale the launcher promotes survivors at once (docs/performance.md); FEDLINK_JAVA_OPTS
        // must be able to say otherwise, so it comes later on the command line, where the JVM takes the last.
        final String script = launcher();
        final Matcher gc = Pattern.compile("(?m)^if \\[ \"\\$\\{1:-}\" = scale ]; then\\n\\s+gc=\\((.+)\\)$")
                .matcher(script);
        assertTrue(gc.find(), "the launcher names its collector options for fedlink scale: " + script);
        final Matcher exec = Pattern.compile("(?m)^exec java .*$").matcher(script);
        assertTrue(exec.find(), script);
        final int ours = exec.group().indexOf("${gc[@]+\"${gc[@]}\"}");
        assertTrue(ours >= 0 && ours < exec.group().indexOf("${FEDLINK_JAVA_OPTS:-}"), exec.group());
        final List<String> options = List.of(gc.group(1).replace("\"", "").split(" "));
        assertTrue(taken(finalFlags(options), "-XX:MaxTenuringThreshold=0"), "the JVM took MaxTenuringThreshold=0");
    }

    /** The launcher script, ./fedlink at the project's root (the tests run in examples/). */
    private static String launcher() throws java.io.IOException {
        return Files.readString(Path.of("").toAbsolutePath().getParent().resolve("fedlink"));
    }

    /** The JVM's flags as {@code -XX:+PrintFlagsFinal} lists them, started with {@code options}. */
    private static String finalFlags(List<String> options) throws Exception {
        final List<String> printing = new java.util.ArrayList<>(options);
        printing.add("-XX:+PrintFlagsFinal");
        return javaVersionOutput(printing);
    }

    /** Whether {@code finalFlags} shows {@code flag} (-XX:Name=value) set to that value from the command line. */
    private static boolean taken(String finalFlags, String flag) {
        final String[] nameValue = flag.substring("-XX:".length()).split("=");
        return Pattern.compile("(?m)^\\s*\\w+ " + nameValue[0] + "\\s*= " + nameValue[1] + "\\s.*\\{command line\\}")
                .matcher(finalFlags).find();
    }

    /** What {@code java OPTIONS -version} of this JDK prints on standard output; it must start and exit 0. */
    private static String javaVersionOutput(List<String> options) throws Exception {
        final List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.add("-version");
        final Process java = new ProcessBuilder(command).start();
        final String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, java.exitValue(), out);
        return out;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
