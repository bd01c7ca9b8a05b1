package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.fedlink.cli.NodeProcess.TLS_PASSWORD;
import static io.fedlink.cli.NodeProcess.concat;
import static io.fedlink.cli.NodeProcess.freePort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster across real JVMs on loopback, started from this test with the built class path:
 * the same curves as one JVM (over lossy links with per-client budgets too), a restarted server
 * resuming from its checkpoint, a server left with no clients, and a transport that lets no stranger
 * join. Lost, frozen, cut-off and replaced nodes are {@link ChaosTest}'s.
 */
class ClusterTest {

    @TempDir
    Path tmp;

    private NodeProcess.Started nodes;

    @BeforeEach
    void nodes() {
        nodes = new NodeProcess.Started(tmp);
    }

    @AfterEach
    void stopEveryJvm() {
        nodes.stopAll();
    }

    private NodeProcess node(String name, String... args) throws IOException {
        return nodes.start(name, args);
    }

    /** A node whose log has the info lines too (nodes ready, clients stopped). */
    private NodeProcess verboseNode(String name, String... args) throws IOException {
        return nodes.start(name, Map.of("FEDLINK_LOG_LEVEL", "INFO"), args);
    }

    @Test
    void threeJvmClusterGivesTheCurvesOfOneJvmBitForBit() throws Exception {
        final String[] experiment = {"--dim", "8", "--samples", "3-6", "--rounds", "25", "--trials", "3",
            "--algorithm", "rerce,rerce-continual,admm,scaffold", "--selected", "4", "--link-noise", "1e-3",
            "--seed", "11", "--local-steps", "3",
            // the paper's links, and lossy ones on both ways with per-client variances: the clients
            // nodes build their downlinks from their own flags, the server its uplinks, all bit for bit
            "--channel", "awgn,erasure:0.2+quantize:6", "--link-budget", "pathloss:3"};
        final int port = freePort();
        final String seed = "127.0.0.1:" + port;
        final Path clusterOut = tmp.resolve("cluster");
        final NodeProcess server = verboseNode("server", concat(new String[] {"--role", "server", "--port", "" + port,
            "--seed-nodes", seed, "--federation-size", "10", "--quiet", "--out", clusterOut.toString()}, experiment));
        node("clients-a", concat(new String[] {"--role", "clients", "--port", "" + freePort(), "--seed-nodes", seed,
            "--clients", "0-3", "--federation-size", "10"}, experiment));
        node("clients-b", concat(new String[] {"--role", "clients", "--port", "" + freePort(), "--seed-nodes", seed,
            "--clients", "4-9", "--federation-size", "10"}, experiment));
        assertEquals(0, server.waitFor(Duration.ofMinutes(2)), server.text());

        final Path oneJvm = tmp.resolve("one-jvm");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(concat(new String[] {"simulate", "--engine", "actors",
            "--clients", "10", "--quiet", "--out", oneJvm.toString()}, experiment));
        assertEquals(0, run.status(), run.err());
        assertEquals(Files.readString(oneJvm.resolve("curves.csv")), Files.readString(clusterOut.resolve("curves.csv")));
        final List<String[]> one = ChannelCommandTest.rows(oneJvm.resolve("summary.csv"));
        final List<String[]> cluster = ChannelCommandTest.rows(clusterOut.resolve("summary.csv"));
        assertEquals(8, cluster.size(), "4 algorithms (scaffold a plug-in with a flag and 2L vectors) x 2 channels");
        for (int i = 0; i < one.size(); i++) {
            final boolean lossy = cluster.get(i)[0].contains("erasure");
            assertEquals(lossy, Long.parseLong(cluster.get(i)[21]) > 0, "lost uploads of " + cluster.get(i)[0]);
            assertEquals(lossy, Long.parseLong(cluster.get(i)[22]) > 0, "lost polls of " + cluster.get(i)[0]);
            assertEquals(List.of(one.get(i)[21], one.get(i)[22]), List.of(cluster.get(i)[21], cluster.get(i)[22]),
                    "the same uploads and polls lost, in " + cluster.get(i)[0]);
        }
        for (NodeProcess node : nodes.all()) {
            assertEquals(0, node.waitFor(Duration.ofSeconds(30)), node.text());
        }
        // A clean end: the server tells the nodes, they leave, then it does; none of that is a warning.
        assertEquals(2, server.count("left after the experiment"), server.text());
        assertFalse(server.logContains("is gone"), server.text());
        // The files are written before the node stops its actor system (its traffic is logged as that
        // starts), which Pekko 1.7 can take its whole 30 s bound to do.
        final String log = server.text();
        final int wrote = log.indexOf("wrote " + clusterOut.resolve("curves.csv"));
        assertTrue(wrote >= 0 && wrote < log.indexOf("over the network in"), log);
    }

    /**
     * A clients node with more clients than Artery's default queues hold: its statistics, the clients'
     * registrations, the start-up polls and their answers, and the remote watches of its clients each come
     * as one burst of K messages, which Artery drops past 3 072 ordinary messages (and quarantines the
     * node past 20 000 unacknowledged system messages) unless fedlink-cluster.conf sizes them. The run must
     * complete, drop no poll and give the one-JVM curves bit for bit.
     */
    @Test
    void aClientsNodeOfTwentyThousandClientsRunsAsOneJvmDoes() throws Exception {
        final String[] experiment = {"--federation-size", "20000", "--dim", "4", "--samples", "2-5", "--rounds", "6",
            "--trials", "1", "--algorithm", "rerce-continual", "--selected", "10", "--link-noise", "1e-3",
            "--seed", "3"};
        // Generous liveness bounds: the two JVMs share two cores with the test's own.
        final String[] liveness = {"--set", "fedlink.cluster.round-timeout=60s",
            "--set", "pekko.cluster.failure-detector.acceptable-heartbeat-pause=30s"};
        final int port = freePort();
        final String seed = "127.0.0.1:" + port;
        final Path clusterOut = tmp.resolve("cluster");
        final NodeProcess server = node("server", concat(new String[] {"--role", "server", "--port", "" + port,
            "--seed-nodes", seed, "--quiet", "--out", clusterOut.toString(),
            "--set", "fedlink.cluster.join-timeout=90s"}, concat(experiment, liveness)));
        node("clients", concat(new String[] {"--role", "clients", "--port", "" + freePort(), "--seed-nodes", seed,
            "--clients", "0-19999"}, concat(experiment, liveness)));
        assertEquals(0, server.waitFor(Duration.ofMinutes(3)), server.text());
        assertEquals(0, summaryDroppedPolls(server.text()), server.text());

        final Path oneJvm = tmp.resolve("one-jvm");
        final String[] simulate = java.util.stream.Stream.of(experiment).map(a -> a.equals("--federation-size")
                ? "--clients" : a).toArray(String[]::new);
        final SimulateCommandTest.Run run = SimulateCommandTest.run(concat(new String[] {"simulate", "--engine", "actors",
            "--quiet", "--out", oneJvm.toString()}, simulate));
        assertEquals(0, run.status(), run.err());
        assertEquals(Files.readString(oneJvm.resolve("curves.csv")), Files.readString(clusterOut.resolve("curves.csv")));
    }

    /** The dropped polls of every series in the console summary (its last column). */
    static long summaryDroppedPolls(String log) {
        final String[] lines = log.split("\n");
        long total = 0;
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("series") && line.contains("dropped polls")) {
                inTable = true;
            } else if (inTable && !line.startsWith("---") && !line.isBlank()) {
                final String[] fields = line.trim().split("\\s+");
                total += Long.parseLong(fields[fields.length - 1]);
            } else if (inTable && line.isBlank()) {
                break;
            }
        }
        return total;
    }

    /** Waits until the node's log holds more matches of {@code pattern} than {@code before}. */
    static void awaitMatch(NodeProcess node, Pattern pattern, long before, Duration timeout)
            throws InterruptedException {
        // The signal is the log line; the timeout is only a generous bound on its coming at all.
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (pattern.matcher(node.text()).results().count() <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + pattern + "' not seen (again) within " + timeout + "; log:\n"
                        + node.text());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void onlyNodesWithTheClusterCertificateCanJoin() throws Exception {
        final Path keys = tmp.resolve("keys");
        Files.createDirectories(keys);
        for (String who : List.of("fedlink", "stranger")) {
            keytool("-genkeypair", "-alias", who, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + who,
                    "-validity", "30", "-keystore", keys.resolve(who + "-keystore.p12").toString(), "-storetype", "PKCS12",
                    "-storepass", TLS_PASSWORD, "-keypass", TLS_PASSWORD);
            keytool("-exportcert", "-alias", who, "-keystore", keys.resolve(who + "-keystore.p12").toString(),
                    "-storepass", TLS_PASSWORD, "-file", keys.resolve(who + ".crt").toString());
            keytool("-importcert", "-alias", who, "-file", keys.resolve(who + ".crt").toString(), "-keystore",
                    keys.resolve(who + "-truststore.p12").toString(), "-storetype", "PKCS12", "-storepass", TLS_PASSWORD,
                    "-noprompt");
        }
        // The clients' data from a file given to every node: each clients node keeps its own clients' rows.
        final Path data = DataFileTest.table(tmp, "table.csv", 30);
        final String[] experiment = {"--federation-size", "6", "--data", data.toString(), "--target", "y", "--features",
            "a,b,c", "--intercept", "--partition", "dirichlet:1", "--algorithm", "rerce,scaffold", "--rounds", "20",
            "--trials", "2", "--selected", "3", "--quiet", "--set", "fedlink.cluster.join-timeout=12s"};
        final String[] clusterTls = {"--tls-keystore", keys.resolve("fedlink-keystore.p12").toString(),
            "--tls-truststore", keys.resolve("fedlink-truststore.p12").toString()};
        final String[] strangerTls = {"--tls-keystore", keys.resolve("stranger-keystore.p12").toString(),
            "--tls-truststore", keys.resolve("stranger-truststore.p12").toString()};

        int port = freePort();
        NodeProcess server = node("tls-server-1", concat(concat(new String[] {"--role", "server", "--port", "" + port,
            "--seed-nodes", "127.0.0.1:" + port, "--out", tmp.resolve("refused").toString()}, experiment), clusterTls));
        node("stranger", concat(concat(new String[] {"--role", "clients", "--port", "" + freePort(),
            "--seed-nodes", "127.0.0.1:" + port, "--clients", "0-5"}, experiment), strangerTls));
        assertEquals(1, server.waitFor(Duration.ofMinutes(1)), server.text());
        assertTrue(server.logContains("brought 0 of the 6 clients"), server.text());

        port = freePort();
        server = node("tls-server-2", concat(concat(new String[] {"--role", "server", "--port", "" + port,
            "--seed-nodes", "127.0.0.1:" + port, "--out", tmp.resolve("joined").toString()}, experiment), clusterTls));
        final NodeProcess member = node("member", concat(concat(new String[] {"--role", "clients", "--port", "" + freePort(),
            "--seed-nodes", "127.0.0.1:" + port, "--clients", "0-5"}, experiment), clusterTls));
        assertEquals(0, server.waitFor(Duration.ofMinutes(1)), server.text());
        assertEquals(0, member.waitFor(Duration.ofSeconds(30)), member.text());
        final SimulateCommandTest.Run oneJvm = SimulateCommandTest.run("simulate", "--clients", "6", "--data",
                data.toString(), "--target", "y", "--features", "a,b,c", "--intercept", "--partition", "dirichlet:1",
                "--algorithm", "rerce,scaffold", "--rounds", "20", "--trials", "2", "--selected", "3", "--quiet",
                "--engine", "reference", "--out", tmp.resolve("one-jvm-data").toString());
        assertEquals(0, oneJvm.status(), oneJvm.err());
        for (String file : List.of("curves.csv", "partition.csv")) {
            assertEquals(Files.readString(tmp.resolve("one-jvm-data").resolve(file)),
                    Files.readString(tmp.resolve("joined").resolve(file)), file + ": the cluster's as one JVM's");
        }
    }

    @Test
    void restartedServerResumesFromItsCheckpointWithTheSameCurves() throws Exception {
        final int serverPort = freePort();
        final int portA = freePort();
        final int portB = freePort();
        final String seeds = "127.0.0.1:" + serverPort + ",127.0.0.1:" + portA + ",127.0.0.1:" + portB;
        // Pekko's default heartbeat pause (3 s), not the 1 s of the other tests, and downing slower than
        // the restart: the clients nodes must neither be downed (the trials after would run without their
        // clients) nor down themselves for want of the server while the new server incarnation, on the
        // same address, takes the old one's place.
        final String[] experiment = {"--federation-size", "10", "--dim", "6", "--samples", "3-6", "--rounds", "2000",
            "--trials", "12", "--algorithm", "rerce", "--selected", "4", "--link-noise", "1e-3", "--seed", "4",
            "--set", "fedlink.cluster.downing.stable-after=20s",
            "--set", "pekko.cluster.failure-detector.acceptable-heartbeat-pause=3s"};
        final Path out = tmp.resolve("resumed");
        final String[] server = concat(new String[] {"--role", "server", "--port", "" + serverPort, "--seed-nodes", seeds,
            "--out", out.toString(), "--checkpoint-every", "100", "--per-trial"}, experiment);
        final NodeProcess first = node("server-first", server);
        final NodeProcess clientsA = node("clients-a", concat(new String[] {"--role", "clients", "--port", "" + portA,
            "--seed-nodes", seeds, "--clients", "0-4"}, experiment));
        final NodeProcess clientsB = node("clients-b", concat(new String[] {"--role", "clients", "--port", "" + portB,
            "--seed-nodes", seeds, "--clients", "5-9"}, experiment));
        first.awaitLog("/12 trials)", Duration.ofMinutes(2));        // some trials are done
        first.process.destroyForcibly();                                  // the server node dies mid-run
        first.process.waitFor();
        final NodeProcess second = node("server-second", server);
        assertEquals(0, second.waitFor(Duration.ofMinutes(3)), second.text());
        assertTrue(second.logContains("resuming from the checkpoint"), second.text());
        assertFalse(second.logContains("differs from the interrupted run"), second.text());

        final Path oneJvm = tmp.resolve("uninterrupted");
        final String[] simulate = java.util.stream.Stream.of(experiment).filter(a -> !a.startsWith("pekko.")
                && !a.startsWith("fedlink.cluster.") && !a.equals("--set")).toArray(String[]::new);
        final String[] args = concat(new String[] {"simulate", "--quiet", "--per-trial", "--out", oneJvm.toString()},
                simulate);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--federation-size")) {
                args[i] = "--clients";
            }
        }
        final SimulateCommandTest.Run run = SimulateCommandTest.run(args);
        assertEquals(0, run.status(), run.err());
        if (!Files.readString(oneJvm.resolve("curves.csv")).equals(Files.readString(out.resolve("curves.csv")))) {
            System.out.println("resumed server's log:\n" + second.text() + "\nfirst server's log:\n" + first.text()
                    + "\nclients-a's log:\n" + clientsA.text() + "\nclients-b's log:\n" + clientsB.text()
                    + "\nresumed summary:\n" + Files.readString(out.resolve("summary.csv"))
                    + "\ntrials that differ (trial: first round that differs):\n"
                    + differingTrials(oneJvm.resolve("trials.csv"), out.resolve("trials.csv"))
                    + "\nthe servers' fedlink.log, trial starts and warnings:\n"
                    + Files.readAllLines(out.resolve("fedlink.log")).stream()
                            .filter(l -> l.contains("starts with") || l.contains("WARN") || l.contains("ERROR"))
                            .collect(java.util.stream.Collectors.joining("\n")));
        }
        assertEquals(Files.readString(oneJvm.resolve("curves.csv")), Files.readString(out.resolve("curves.csv")),
                "resumed from its checkpoint, the experiment gives the uninterrupted curves");
    }

    /** For a failure's message: each trial whose curve differs between two trials.csv, with its first such round. */
    private static String differingTrials(Path expected, Path actual) throws java.io.IOException {
        final java.util.Map<String, String> want = new java.util.HashMap<>();
        for (String line : Files.readAllLines(expected)) {
            final String[] cells = line.split(",");
            want.put(cells[1] + "," + cells[2], line);                   // series,trial,round,nmse_db
        }
        final java.util.Map<String, String> first = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(actual)) {
            final String[] cells = line.split(",");
            if (!line.equals(want.get(cells[1] + "," + cells[2]))) {
                first.putIfAbsent(cells[1], cells[2]);
            }
        }
        return first.toString();
    }

    @Test
    void serverThatLosesEveryClientsNodeStopsWithAClearError() throws Exception {
        final String[] experiment = {"--federation-size", "4", "--dim", "4", "--samples", "3-6", "--rounds", "100000",
            "--trials", "6", "--selected", "2",
            "--set", "fedlink.cluster.server-grace-period=3s", "--set", "fedlink.cluster.round-timeout=300ms",
            "--set", "fedlink.cluster.downing.stable-after=2s",
            "--set", "pekko.cluster.failure-detector.acceptable-heartbeat-pause=1s"};
        final int port = freePort();
        final String seeds = "127.0.0.1:" + port;
        final NodeProcess server = node("lonely-server", concat(new String[] {"--role", "server", "--port", "" + port,
            "--seed-nodes", seeds, "--out", tmp.resolve("lonely").toString()}, experiment));
        final NodeProcess only = node("only-clients", concat(new String[] {"--role", "clients", "--port", "" + freePort(),
            "--seed-nodes", seeds, "--clients", "0-3"}, experiment));
        server.awaitLog(": series ", Duration.ofMinutes(1));              // the experiment is under way
        only.process.destroyForcibly();
        assertEquals(1, server.waitFor(Duration.ofMinutes(1)), server.text());
        // The server node is never downed: it downs the lost clients node, waits out the grace period for
        // a clients node that never comes back, and says so.
        assertTrue(server.logContains("every clients node has been gone for PT3S"), server.text());
        assertFalse(server.logContains("\tat "), "no stack trace for an expected failure:\n" + server.text());
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(Arrays.asList(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
    }
}
