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
            final NodeProcess node = new NodeProcess(this, dir.resolve(name + ".log"), env, args);
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

        /** Each other node's state and the end of its log: what a failed wait on one node needs beside. */
        String others(NodeProcess except) {
            final StringBuilder report = new StringBuilder();
            for (NodeProcess node : nodes) {
                if (node != except) {
                    final List<String> lines = node.text().lines().toList();
                    report.append("\n--- ").append(node.log.getFileName()).append(" (")
                            .append(node.process.isAlive() ? "running" : "exited " + node.process.exitValue())
                            .append("), last lines:\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
                }
            }
            return report.toString();
        }
    }

    /**
     * Ports a test hands out, counting up from a random start below the kernel's ephemeral range
     * (32768 and up on Linux): a port chosen there cannot be taken, between the choice and the node's
     * bind, by an outbound connection of another node or proxy. Each is checked free before it is given.
     */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT =
            new java.util.concurrent.atomic.AtomicInteger(20_000 + new java.util.Random().nextInt(10_000));

    final Process process;
    final Path log;
    private final Started group;

    private NodeProcess(Started group, Path log, Map<String, String> env, String... args) throws IOException {
        this.group = group;
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
                        + " within " + timeout + "; log:\n" + text() + group.others(this));
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
        for (int tries = 0; tries < 1000; tries++) {
            final int port = NEXT_PORT.getAndIncrement();
            if (port >= 32_768) {
                NEXT_PORT.set(20_000);
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IOException("no free port found in 20000..32767");
    }

    static String[] concat(String[] a, String... b) {
        final String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
