package io.fedlink.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One `fedlink node` JVM started from a test with the test's class path, its output going to a file;
 * and the signals a multi-JVM test waits on (log lines, exit), never sleeps. {@link Started} keeps
 * every JVM a test starts, so that none outlives it.
 */
final class NodeProcess {

    /** The FEDLINK_TLS_PASSWORD every test node is given. */
    static final String TLS_PASSWORD = "fedlink-test-only";

    /** The JVMs one test started. */
    static final class Started {
        private final List<NodeProcess> nodes = new ArrayList<>();
        private final Path dir;

        Started(Path dir) {
            this.dir = dir;
        }

        NodeProcess start(String name, String... args) throws IOException {
            return start(name, Map.of(), args);
        }

        /** @param env extra environment, e.g. FEDLINK_LOG_LEVEL=INFO for a log with the info lines */
        NodeProcess start(String name, Map<String, String> env, String... args) throws IOException {
            final NodeProcess node = new NodeProcess(dir.resolve(name + ".log"), env, args);
            nodes.add(node);
            return node;
        }

        List<NodeProcess> all() {
            return List.copyOf(nodes);
        }

        /** Kills whatever still runs (a test that failed half way); returns how many were still alive. */
        int stopAll() {
            int alive = 0;
            for (NodeProcess node : nodes) {
                if (node.process.isAlive()) {
                    alive++;
                    node.signal("CONT");                            // a stopped JVM cannot die of SIGTERM
                    node.process.destroyForcibly();
                }
            }
            return alive;
        }
    }

    final Process process;
    final Path log;

    private NodeProcess(Path log, Map<String, String> env, String... args) throws IOException {
        this.log = log;
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Fedlink.class.getName(), "node"));
        command.addAll(Arrays.asList(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FEDLINK_TLS_PASSWORD", TLS_PASSWORD);
        builder.environment().putAll(env);
        process = builder.start();
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node did not finish within " + timeout + "; its log:\n" + text());
        }
        return process.exitValue();
    }

    String text() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    boolean logContains(String fragment) {
        return text().contains(fragment);
    }

    /** How many times the fragment occurs in the log. */
    int count(String fragment) {
        final String text = text();
        int n = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            n++;
        }
        return n;
    }

    /** Waits until the log holds the fragment at least {@code times} times, polling the file. */
    void awaitLog(String fragment, int times, Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (count(fragment) < times) {
            if (System.nanoTime() > deadline || !process.isAlive() && count(fragment) < times) {
                throw new AssertionError("'" + fragment + "' (x" + times + ") not seen in " + log.getFileName()
                        + " within " + timeout + "; log:\n" + text());
            }
            Thread.sleep(50);
        }
    }

    void awaitLog(String fragment, Duration timeout) throws InterruptedException {
        awaitLog(fragment, 1, timeout);
    }

    /** Sends the JVM a signal (STOP, CONT, KILL) with kill(1). */
    void signal(String name) {
        try {
            final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            kill.waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String[] concat(String[] a, String... b) {
        final String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
