package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's algorithm jar (the plug-in example module, the README's "Write your own
 * algorithm"), kept off fedlink's class path and given to the real command line on a class loader of
 * its own, as FEDLINK_CLASSPATH gives it to the launcher: ServiceLoader finds it, its own flags are
 * on the command line and checked, and both engines run it with the same curves, bit for bit.
 */
class PluginTest {

    @TempDir
    Path tmp;

    /** The example's jar as the build packaged it, or its class folder when only compiled (mvn test). */
    private static Path pluginClassPath() throws Exception {
        final Path target = Path.of(System.getProperty("fedlink.plugin-example", "../plugin-example/target"));
        try (Stream<Path> files = Files.list(target)) {
            final List<Path> jars = files.filter(f -> f.getFileName().toString().matches("fedlink-plugin-example-.*\\.jar"))
                    .toList();
            if (!jars.isEmpty()) {
                return jars.get(0);
            }
        }
        final Path classes = target.resolve("classes");
        assertTrue(Files.isDirectory(classes), "build the plug-in example first (mvn -pl examples -am ...): no "
                + target + "/fedlink-plugin-example-*.jar nor its classes");
        return classes;
    }

    @Test
    void aPluginJarOnItsOwnClassPathRunsOnBothEnginesWithItsOwnFlags() throws Exception {
        final String[] small = {"--algorithm", "fedavgm,rerce", "--momentum", "0.3", "--local-steps", "3", "--clients", "6",
            "--dim", "4", "--samples", "3-6", "--selected", "3", "--rounds", "15", "--trials", "2", "--quiet"};
        final SimulateCommandTest.Run without = SimulateCommandTest.run("simulate", "--algorithm", "fedavgm", "--out",
                tmp.resolve("none").toString());
        assertEquals(2, without.status(), "not on the class path: not found");
        assertTrue(without.err().contains("--algorithm fedavgm: unknown algorithm"), without.err());

        final Thread thread = Thread.currentThread();
        final ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {pluginClassPath().toUri().toURL()}, before)) {
            thread.setContextClassLoader(plugin);
            final SimulateCommandTest.Run help = SimulateCommandTest.run("simulate", "--help");
            assertTrue(help.out().contains("--momentum=BETA") && help.out().contains("fedavgm"), help.out());
            final SimulateCommandTest.Run refused = SimulateCommandTest.run(NodeProcess.concat(
                    new String[] {"simulate", "--out", tmp.resolve("x").toString()}, "--algorithm", "fedavgm",
                    "--momentum", "1"));
            assertEquals(2, refused.status());
            assertTrue(refused.err().contains("--momentum 1: fedavgm expects a number >= 0.0 and < 1.0"), refused.err());

            for (String engine : List.of("actors", "reference")) {
                final SimulateCommandTest.Run run = SimulateCommandTest.run(NodeProcess.concat(new String[] {"simulate",
                    "--engine", engine, "--out", tmp.resolve(engine).toString()}, small));
                assertEquals(0, run.status(), run.err());
            }
        } finally {
            thread.setContextClassLoader(before);
        }
        assertEquals(Files.readString(tmp.resolve("reference").resolve("curves.csv")),
                Files.readString(tmp.resolve("actors").resolve("curves.csv")), "the same curves on both engines");
        final String summary = Files.readString(tmp.resolve("actors").resolve("summary.csv"));
        assertTrue(summary.contains("fedavgm momentum=0.3 local-steps=3 C=3"), summary);
        assertTrue(Files.readString(tmp.resolve("actors").resolve("command.txt"))
                .contains("--algorithm fedavgm,rerce --momentum 0.3 --local-steps 3"), "command.txt reproduces it");
    }
}
