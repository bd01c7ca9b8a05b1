package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster-config/local-cluster.sh: its help, and a cluster whose node cannot start. */
class LocalClusterScriptTest {

    private static final Path SCRIPT = Path.of("..", "cluster-config", "local-cluster.sh");

    @TempDir
    Path tmp;

    private record Result(int status, String out, String err) {
    }

    private Result script(String... args) throws IOException, InterruptedException {
        return script(Map.of(), args);
    }

    private Result script(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("script.out").toFile()).redirectError(tmp.resolve("script.err").toFile());
        builder.environment().put("FEDLINK_CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(environment);
        final Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("local-cluster.sh did not finish within 2 minutes");
        }
        return new Result(process.exitValue(), java.nio.file.Files.readString(tmp.resolve("script.out")),
                java.nio.file.Files.readString(tmp.resolve("script.err")));
    }

    @Test
    void helpPrintsTheUsageNotTheScript() throws Exception {
        final Result help = script("--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().contains("--client-nodes N") && help.out().contains("--base-port P"), help.out());
        for (String code : List.of("set -euo", "here=", "usage()", "#")) {
            assertFalse(help.out().contains(code), "the help shows code (" + code + "):\n" + help.out());
        }
    }

    /** FEDLINK_SERVER_JAVA_OPTS reaches the server node's JVM, and only it (here an option no JVM knows). */
    @Test
    void serverJavaOptionsGoToTheServerNodeAlone() throws Exception {
        final int base = freeBase();
        final Path out = tmp.resolve("out");
        final Result run = script(Map.of("FEDLINK_SERVER_JAVA_OPTS", "-XX:+FedlinkNoSuchOption"), "--client-nodes", "1",
                "--clients", "6", "--dim", "4", "--trials", "1", "--rounds", "5", "--base-port", "" + base,
                "--out", out.toString());
        assertEquals(1, run.status(), run.err());
        assertTrue(run.err().contains("the server node failed (status 1)"), run.err());
        assertTrue(java.nio.file.Files.readString(out.resolve("server.log")).contains("FedlinkNoSuchOption"), run.err());
        assertFalse(java.nio.file.Files.readString(out.resolve("clients-0.log")).contains("FedlinkNoSuchOption"),
                "the clients node was started without the server's options");
    }

    /** Three consecutive ports that are free now. */
    private static int freeBase() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            final int base = ThreadLocalRandom.current().nextInt(20000, 60000);
            boolean free = true;
            for (int p = base; p <= base + 2 && free; p++) {
                try (ServerSocket probe = new ServerSocket()) {
                    probe.bind(new InetSocketAddress("127.0.0.1", p));
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no three free ports in a row");
    }

    @Test
    void aNodeThatCannotStartStopsTheWholeClusterAndPortsAreSuggested() throws Exception {
        final int base = freeBase();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", base + 2));       // the second clients node's port
            final Result run = script("--client-nodes", "2", "--clients", "6", "--dim", "4", "--trials", "2",
                    "--rounds", "10", "--base-port", "" + base, "--out", tmp.resolve("out").toString());
            assertEquals(2, run.status(), run.err());
            assertTrue(run.err().contains("the clients-1 node failed (status 2); stopping every node"), run.err());
            assertTrue(run.err().contains("127.0.0.1:" + (base + 2) + " cannot be bound"), run.err());
            assertTrue(run.err().contains("choose others with --base-port"), run.err());
        }
        final String seed = "--seed-nodes 127.0.0.1:" + base;
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(seed)),
                "every node the script started is stopped");
    }
}
