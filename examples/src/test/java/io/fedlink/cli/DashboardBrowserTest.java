package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedlink.cli.dashboard.Dashboard;
import io.fedlink.cli.dashboard.DashboardAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a person sees it, in a real headless Chromium: the page of a running simulation
 * loads without errors, its chart gains points while the run goes on, and it ends with the summary
 * that summary.csv holds; on a 3-JVM cluster, a clients node that is killed shows as unreachable, then
 * as removed. Screenshots are kept in target/dashboard/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

    @TempDir
    static Path profile;

    /** One browser for both tests (starting Chromium takes seconds); each test opens its own page. */
    private HeadlessChromium browser;
    private NodeProcess.Started nodes;

    @BeforeAll
    void launchBrowser() throws Exception {
        browser = HeadlessChromium.launch(profile.resolve("chromium"));
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void stopEveryJvm() {
        if (nodes != null) {
            nodes.stopAll();
        }
    }

    static final Path SCREENSHOTS = Path.of("target", "dashboard");
    static final Duration LIVENESS = Duration.ofMinutes(2);

    private static final int ROUNDS = 160;     // at least 1.6 s a series: the page's 4-a-second view sees it grow

    @TempDir
    Path tmp;

    @Test
    void pageFollowsASimulationAndEndsWithItsSummary() throws Exception {
        try (Dashboard dashboard = Dashboard.start(new DashboardAddress("127.0.0.1", 0))) {
            browser.clearErrors();
            browser.navigate(dashboard.url());
            DashboardHttpTest.awaitSubscribers(dashboard, 1);          // the page follows /events from the start
            // Free-running rounds are paced by the server's clock (10 ms each at least), so the run lasts
            // seconds however fast the machine is: the page sees it go on.
            final Path out = tmp.resolve("out");
            final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return DashboardHttpTest.simulate(dashboard, out, "--clients", "6", "--dim", "4", "--samples",
                            "2-5", "--selected", "3", "--rounds", "" + ROUNDS, "--trials", "2", "--algorithm",
                            "rerce,rerce-continual", "--mode", "free-running", "--server-period", "10", "--quiet");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(0, run.get(LIVENESS.toMillis(), TimeUnit.MILLISECONDS));
            dashboard.board().ended("complete", "the run is complete");
            browser.await("document.getElementById('status').dataset.state", v -> v.asText().equals("complete"),
                    LIVENESS, "the page says the run is complete");

            // The chart gained points while the run went on: the page drew it at intermediate sizes.
            final JsonNode renders = browser.evaluate("window.fedlinkDashboard.state.renders");
            final long partial = java.util.stream.StreamSupport.stream(renders.spliterator(), false)
                    .mapToInt(JsonNode::asInt).filter(n -> n > 0 && n < 2 * ROUNDS).distinct().count();
            assertTrue(partial >= 2, "the chart should have grown through the run; it was drawn with " + renders
                    + " points");
            assertEquals(2 * ROUNDS, browser.evaluate("window.fedlinkDashboard.pointCount()").asInt(),
                    "every round of both curves");

            // The summary on the page is summary.csv's, cell for cell.
            final JsonNode rows = browser.evaluate("Array.from(document.querySelectorAll('#summary tbody tr'))"
                    + ".map(r => Object.assign({series: r.dataset.series}, Object.fromEntries("
                    + "Array.from(r.querySelectorAll('td[data-column]')).map(td => [td.dataset.column, td.dataset.value]))))");
            final List<CSVRecord> summary = DashboardHttpTest.csv(out.resolve("summary.csv"));
            assertEquals(summary.size(), rows.size(), rows.toString());
            for (int i = 0; i < summary.size(); i++) {
                final CSVRecord row = summary.get(i);
                final JsonNode shown = rows.get(i);
                assertEquals(row.get("series"), shown.path("series").asText());
                for (String column : List.of("steady_state_db", "steady_state_db_lo", "diverged_round", "rounds",
                        "trials", "seconds", "lost_uplinks", "lost_downlinks")) {
                    assertEquals(row.get(column), shown.path(column).asText(), column + " of " + row.get("series"));
                }
            }
            final String steady = browser.evaluate("document.querySelector('#summary td[data-column=steady_state_db]')"
                    + ".textContent").asText();
            assertEquals(Double.parseDouble(summary.get(0).get("steady_state_db")), Double.parseDouble(steady), 0.005,
                    "the steady state shown, to two decimals");
            browser.screenshot(SCREENSHOTS.resolve("simulation.png"));
            assertEquals(List.of(), browser.errors(), "the page logged errors");
        }
    }

    @Test
    void clusterPageShowsAKilledClientsNodeUnreachableThenRemoved() throws Exception {
        nodes = new NodeProcess.Started(tmp);
        // Rounds that poll a lost client wait for the round timeout (300 ms) until the node is removed, so
        // the run outlasts the failure detector (1 s) and the downing decision (2 s): 120 rounds are
        // more than the few run before the kill and the at most 20 or so that fit in those seconds.
        final String[] experiment = {"--federation-size", "10", "--dim", "6", "--samples", "3-6", "--rounds", "120",
            "--trials", "2", "--algorithm", "rerce", "--selected", "4", "--link-noise", "1e-3", "--quiet",
            "--set", "fedlink.cluster.round-timeout=300ms", "--set", "fedlink.cluster.downing.stable-after=2s",
            "--set", "pekko.cluster.failure-detector.acceptable-heartbeat-pause=1s"};
        final int port = NodeProcess.freePort();
        final String seed = "127.0.0.1:" + port;
        final Path out = tmp.resolve("cluster");
        final NodeProcess server = nodes.start("server", NodeProcess.concat(new String[] {"--role", "server",
            "--port", "" + port, "--seed-nodes", seed, "--out", out.toString(), "--dashboard", "127.0.0.1:0",
            "--dashboard-linger", "600"}, experiment));
        nodes.start("clients-a", NodeProcess.concat(new String[] {"--role", "clients", "--port", "" + NodeProcess.freePort(),
            "--seed-nodes", seed, "--clients", "0-4"}, experiment));
        final int doomedPort = NodeProcess.freePort();
        final NodeProcess doomed = nodes.start("clients-b", NodeProcess.concat(new String[] {"--role", "clients",
            "--port", "" + doomedPort, "--seed-nodes", seed, "--clients", "5-9"}, experiment));
        final String doomedAddress = "pekko://fedlink@127.0.0.1:" + doomedPort;

        {
            browser.clearErrors();
            server.awaitLog("dashboard: http://", LIVENESS);
            final Matcher url = Pattern.compile("dashboard: (http://\\S+/) ").matcher(server.text());
            assertTrue(url.find(), server.text());
            browser.navigate(url.group(1));
            // Both clients nodes live, the curve under way: then one is killed.
            browser.await(liveClients(doomedAddress), v -> v.asText().equals("5"), LIVENESS,
                    "clients 5..9 live on " + doomedAddress);
            browser.await("window.fedlinkDashboard.pointCount()", v -> v.asInt() > 0, LIVENESS, "the curve under way");
            doomed.process.destroyForcibly();

            browser.await(memberStatus(doomedAddress), v -> v.asText().equals("Removed"), LIVENESS,
                    "the killed node removed");
            browser.screenshot(SCREENSHOTS.resolve("cluster.png"));
            // What the page showed, in order: the node unreachable (still a member), then removed.
            final JsonNode history = browser.evaluate("window.fedlinkDashboard.state.memberHistory.filter("
                    + "h => h.address === '" + doomedAddress + "')");
            int unreachableAt = -1;
            int removedAt = -1;
            for (int i = 0; i < history.size(); i++) {
                final JsonNode h = history.get(i);
                if (unreachableAt < 0 && !h.path("reachable").asBoolean() && !h.path("status").asText().equals("Removed")) {
                    unreachableAt = i;
                }
                if (h.path("status").asText().equals("Removed")) {
                    removedAt = i;
                }
            }
            assertTrue(unreachableAt >= 0 && removedAt > unreachableAt, "unreachable, then removed: " + history);
            assertEquals("0", browser.evaluate(liveClients(doomedAddress)).asText(), "none of its clients is live");
            // Pekko Management's membership route, while the node still runs: the killed node is gone from it.
            final JsonNode members = browser.evaluate("fetch('cluster/members').then(r => r.json())");
            assertTrue(members.path("members").size() >= 2, members.toString());
            members.path("members").forEach(m -> assertTrue(!m.path("node").asText().equals(doomedAddress),
                    "removed from the cluster: " + members));

            browser.await("document.getElementById('status').dataset.state", v -> v.asText().equals("complete"),
                    LIVENESS, "the page says the run is complete");
            final JsonNode dropped = browser.evaluate("Array.from(document.querySelectorAll("
                    + "'#summary td[data-column=dropped_polls]')).map(td => td.dataset.value)");
            final JsonNode steady = browser.evaluate("Array.from(document.querySelectorAll("
                    + "'#summary td[data-column=steady_state_db]')).map(td => td.dataset.value)");
            final List<CSVRecord> summary = DashboardHttpTest.csv(out.resolve("summary.csv"));
            assertEquals(summary.get(0).get("steady_state_db"), steady.get(0).asText(), "summary.csv's steady state");
            assertTrue(Long.parseLong(dropped.get(0).asText()) > 0, "the killed node's polls were dropped: " + dropped);
            assertEquals(List.of(), browser.errors(), "the page logged errors");
        }
    }

    private static String liveClients(String address) {
        return "(document.querySelector('#clients-nodes tr[data-address=\"" + address + "\"]') || {dataset: {}})"
                + ".dataset.live || ''";
    }

    private static String memberStatus(String address) {
        return "(Array.from(document.querySelectorAll('#members tr')).filter(r => r.dataset.address === '" + address
                + "').pop() || {dataset: {}}).dataset.status || ''";
    }
}
