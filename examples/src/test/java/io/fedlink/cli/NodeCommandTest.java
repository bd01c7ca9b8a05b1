package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `fedlink node` before it starts: a port that cannot be bound is a usage error (one line naming it,
 * exit 2, before any actor starts), listening off loopback without TLS is warned about, and a server
 * node replaces earlier results only with --force.
 */
class NodeCommandTest {

    @TempDir
    Path tmp;

    private static final String[] EXPERIMENT = {"--federation-size", "4", "--dim", "4", "--trials", "1", "--rounds", "5"};

    private static ServerSocket busyPort() throws IOException {
        final ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("0.0.0.0", 0));
        return socket;
    }

    private static SimulateCommandTest.Run node(String... args) {
        return SimulateCommandTest.run(NodeProcess.concat(NodeProcess.concat(new String[] {"node"}, args), EXPERIMENT));
    }

    /** More clients on a node than Artery's queues carry in one burst: refused before the node starts. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"outbound-message-queue-size", "outbound-control-queue-size", "system-message-buffer-size"})
    void aClientsNodeTooLargeForArterysQueuesIsRefused(String queue) {
        final String key = "pekko.remote.artery.advanced." + queue;
        final SimulateCommandTest.Run run = node("--role", "clients", "--port", "0", "--seed-nodes", "127.0.0.1:1",
                "--clients", "0-3", "--set", key + "=7");
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().startsWith("fedlink node: --clients 0-3: 4 clients on one node send bursts of 8 messages, "
                + "more than " + key + " = 7 holds"), run.err());
        assertTrue(run.err().contains("host at most 3 clients per node, or raise it with --set " + key + "=N"),
                run.err());
        assertFalse(run.out().contains("hosting clients"), "nothing started:\n" + run.out());
    }

    @ParameterizedTest(name = "--role {0}")
    @ValueSource(strings = {"server", "clients"})
    void portInUseIsAUsageErrorNamingIt(String role) throws IOException {
        try (ServerSocket taken = busyPort()) {
            final int port = taken.getLocalPort();
            final SimulateCommandTest.Run run = node("--role", role, "--port", "" + port, "--seed-nodes",
                    "127.0.0.1:" + port, role.equals("clients") ? "--clients" : "--out",
                    role.equals("clients") ? "0-3" : tmp.resolve("out").toString());
            assertEquals(2, run.status(), run.err());
            final String[] lines = run.err().strip().split("\n");
            assertEquals(1, lines.length, "one line:\n" + run.err());
            assertTrue(lines[0].startsWith("fedlink node: --port: 127.0.0.1:" + port + " cannot be bound"), lines[0]);
            assertTrue(lines[0].contains("--base-port"), lines[0]);
            assertFalse(run.out().contains("waiting for clients") || run.out().contains("hosting clients"),
                    "nothing started:\n" + run.out());
        }
    }

    @Test
    void listeningOffLoopbackWithoutTlsIsWarnedAbout() throws IOException {
        try (ServerSocket taken = busyPort()) {
            final int port = taken.getLocalPort();
            final SimulateCommandTest.Run run = node("--role", "clients", "--host", "0.0.0.0", "--port", "" + port,
                    "--seed-nodes", "127.0.0.1:" + port, "--clients", "0-3");
            assertTrue(run.err().contains("warning: listening on 0.0.0.0:" + port + " without TLS: anyone who can reach "
                    + "it can join the cluster"), run.err());
            assertTrue(run.err().contains("--tls-keystore and --tls-truststore"), run.err());
            assertEquals(2, run.status(), "and then the port in use:\n" + run.err());
        }
    }

    @Test
    void dashboardPortInUseIsAUsageErrorNamingItBeforeAnyWork() throws IOException {
        try (ServerSocket taken = busyPort()) {
            final int port = taken.getLocalPort();
            final int artery = NodeProcess.freePort();
            final SimulateCommandTest.Run run = node("--role", "server", "--port", "" + artery, "--seed-nodes",
                    "127.0.0.1:" + artery, "--out", tmp.resolve("out").toString(), "--dashboard", "0.0.0.0:" + port);
            assertEquals(2, run.status(), run.err());
            final String[] lines = run.err().strip().split("\n");
            assertEquals(2, lines.length, "the off-loopback warning, then one line:\n" + run.err());
            assertTrue(lines[0].startsWith("fedlink node: warning: the dashboard listens on 0.0.0.0:" + port
                    + ", off loopback"), lines[0]);
            assertTrue(lines[1].startsWith("fedlink node: --dashboard: 0.0.0.0:" + port + " cannot be bound"), lines[1]);
            assertFalse(run.out().contains("waiting for clients"), "nothing started:\n" + run.out());
        }
    }

    @Test
    void simulateRefusesABusyDashboardPortBeforeAnyWork() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            final int port = taken.getLocalPort();
            final SimulateCommandTest.Run run = SimulateCommandTest.run("simulate", "--out", tmp.resolve("never").toString(),
                    "--rounds", "2", "--trials", "1", "--dashboard", "" + port);
            assertEquals(2, run.status(), run.err());
            final String[] lines = run.err().strip().split("\n");
            assertEquals(1, lines.length, "one line:\n" + run.err());
            assertEquals("fedlink simulate: --dashboard: 127.0.0.1:" + port + " cannot be bound (Address already in use); "
                    + "give the dashboard a free port (0 takes any)", lines[0]);
            assertFalse(java.nio.file.Files.exists(tmp.resolve("never")), "no work may start (the folder is only checked)");
        }
    }

    @Test
    void simulateWithADashboardSaysWhereItIs() {
        final SimulateCommandTest.Run run = SimulateCommandTest.run("simulate", "--out", tmp.resolve("shown").toString(),
                "--clients", "6", "--dim", "4", "--samples", "2-5", "--selected", "3", "--rounds", "5", "--trials", "1",
                "--quiet", "--dashboard", "127.0.0.1:0");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().matches("(?s).*dashboard: http://127\\.0\\.0\\.1:\\d+/ \\(events: .*"), run.out());
        assertTrue(java.nio.file.Files.exists(tmp.resolve("shown").resolve("summary.csv")));
    }

    @Test
    void aServerNodeNeverReplacesEarlierResultsUnlessForcedAndNotBeforeItCanStart() throws IOException {
        final Path out = tmp.resolve("earlier");
        java.nio.file.Files.createDirectories(out);
        java.nio.file.Files.writeString(out.resolve(ResultFiles.CURVES), "earlier curves\n");
        try (ServerSocket taken = busyPort()) {
            final int port = taken.getLocalPort();
            final String[] server = {"--role", "server", "--port", "" + port, "--seed-nodes", "127.0.0.1:" + port,
                "--out", out.toString()};
            final SimulateCommandTest.Run refused = node(server);
            assertEquals(2, refused.status(), refused.err());
            assertTrue(refused.err().startsWith("fedlink node: --out " + out + ": holds the results of an earlier run ("
                    + ResultFiles.CURVES + "); use --force"), refused.err());
            // --force passes the folder; the port then stops the node, and nothing was removed for it.
            final SimulateCommandTest.Run forced = node(NodeProcess.concat(server, "--force"));
            assertEquals(2, forced.status(), forced.err());
            assertTrue(forced.err().contains("cannot be bound"), forced.err());
            assertEquals("earlier curves\n", java.nio.file.Files.readString(out.resolve(ResultFiles.CURVES)));
        }
        final SimulateCommandTest.Run clients = node("--role", "clients", "--port", "0", "--seed-nodes",
                "127.0.0.1:25520", "--clients", "0-3", "--force");
        assertEquals(2, clients.status(), clients.err());
        assertTrue(clients.err().contains("--per-trial are for --role server"), clients.err());
    }
}
