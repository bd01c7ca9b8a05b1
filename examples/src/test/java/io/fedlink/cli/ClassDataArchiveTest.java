package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/class-data-archive.sh, which the ./fedlink launcher runs before every start: it writes the
 * archive once, the JVM then maps fedlink's classes from it, it writes it again only when the jar is
 * newer, and when the JVM cannot write one it leaves nothing behind and does not fail the start.
 */
class ClassDataArchiveTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "class-data-archive.sh");

    @TempDir
    Path tmp;

    private record Result(int status, String out, String err) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("run.out").toFile()).redirectError(tmp.resolve("run.err").toFile());
        // The script's `java` is this test's JVM, the one that then maps the archive.
        builder.environment().put("PATH", Path.of(JAVA).getParent() + File.pathSeparator
                + builder.environment().getOrDefault("PATH", ""));
        final Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 2 minutes");
        }
        return new Result(process.exitValue(), Files.readString(tmp.resolve("run.out")),
                Files.readString(tmp.resolve("run.err")));
    }

    private Result script(Path archive, String classpath, Path newer) throws IOException, InterruptedException {
        return run(List.of("bash", SCRIPT.toString(), archive.toString(), classpath, newer.toString()));
    }

    /** The JVM running this test, so that the archive is written and read by the same one. */
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /**
     * The test's class path with every folder on it made a jar (the JVM archives classes from jars only):
     * target/classes always, the other modules' classes too when the build has not packaged them.
     */
    private String jarredClasspath() throws IOException {
        final List<String> entries = new ArrayList<>();
        int folders = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            final Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                final Path jar = tmp.resolve("classes-" + folders++ + ".jar");
                jar(path, jar);
                entries.add(jar.toString());
            } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void jar(Path folder, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(folder.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
    }

    @Test
    void writesTheArchiveOnceAndTheJvmMapsFedlinksClassesFromIt() throws Exception {
        final String classpath = jarredClasspath();
        final Path newer = Files.writeString(tmp.resolve("fedlink.jar"), "the jar the archive describes");
        final Path archive = tmp.resolve("fedlink.jsa");
        final Result first = script(archive, classpath, newer);
        assertEquals(0, first.status(), first.err());
        assertTrue(Files.size(archive) > 0, "an archive is written");
        assertTrue(first.err().contains("writing a class-data archive"), first.err());

        final Result mapped = run(List.of(JAVA, "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-cp",
                classpath, "io.fedlink.cli.Fedlink", "--version"));
        assertEquals(0, mapped.status(), mapped.err());
        assertTrue(mapped.out().contains("io.fedlink.cli.Fedlink source: shared objects file"),
                "the main class comes from the archive:\n" + mapped.out().lines().filter(l -> l.contains("io.fedlink"))
                        .limit(5).toList());

        final FileTime written = Files.getLastModifiedTime(archive);
        final Result again = script(archive, classpath, newer);
        assertEquals(0, again.status(), again.err());
        assertEquals("", again.err(), "nothing to do while the jar is not newer");
        assertEquals(written, Files.getLastModifiedTime(archive));

        Files.setLastModifiedTime(newer, FileTime.fromMillis(written.toMillis() + 60_000));
        final Result rebuilt = script(archive, classpath, newer);
        assertEquals(0, rebuilt.status(), rebuilt.err());
        assertTrue(rebuilt.err().contains("writing a class-data archive"), "a newer jar gets a new archive");
        assertTrue(Files.getLastModifiedTime(archive).compareTo(written) > 0);
    }

    @Test
    void whenTheJvmCannotWriteOneNothingIsLeftAndLaterStartsDoNotTryAgain() throws Exception {
        final Path dir = Files.createDirectories(tmp.resolve("archives"));
        final Path jar = Files.writeString(tmp.resolve("empty.jar"), "not a jar", StandardCharsets.UTF_8);
        final Result result = script(dir.resolve("fedlink.jsa"), jar.toString(), jar);
        assertEquals(0, result.status(), result.err());
        assertTrue(result.err().contains("no class-data archive"), result.err());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("fedlink.jsa.failed")), left.toList(),
                    "no archive, no half-written file: only the note that it failed");
        }
        final Result again = script(dir.resolve("fedlink.jsa"), jar.toString(), jar);
        assertEquals(0, again.status(), again.err());
        assertEquals("", again.err(), "the same jar is not tried again (each try costs seconds)");

        Files.setLastModifiedTime(jar, FileTime.fromMillis(
                Files.getLastModifiedTime(dir.resolve("fedlink.jsa.failed")).toMillis() + 60_000));
        assertTrue(script(dir.resolve("fedlink.jsa"), jar.toString(), jar).err().contains("writing"),
                "a new jar is tried again");
    }

    @Test
    void theLauncherStartsWithTheArchive() throws IOException {
        final String launcher = Files.readString(Path.of("..", "fedlink"));
        assertTrue(launcher.contains("scripts/class-data-archive.sh\" \"$archive\" \"$jar\" \"$jar\" || true"), launcher);
        assertTrue(launcher.contains("-XX:SharedArchiveFile=\"$archive\""), launcher);
        assertFalse(launcher.contains("-Xshare:on"), "a JVM that cannot map the archive must still start");
        assertTrue(launcher.contains("off* | *SharedArchiveFile* | *ArchiveClassesAtExit* | *-Xshare*)"),
                "FEDLINK_CDS=off, and the user's own class-data options, start without the archive");
    }
}
