package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedlink.cli.dashboard.Dashboard;
import io.fedlink.cli.dashboard.DashboardAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The dashboard's HTTP interface, through Pekko HTTP's route testkit, against one small simulation on
 * a lossy channel: {@code /events} carries one event per closed round and ends with each series'
 * summary as summary.csv has it; {@code /metrics} is a Prometheus exposition whose counters say what
 * the summary says; nothing but GET is accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardHttpTest extends JUnit5RouteTest {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final int ROUNDS = 40;
    private static final int TRIALS = 3;
    private static final int SELECTED = 3;
    private static final String[] EXPERIMENT = {"--clients", "8", "--dim", "4", "--samples", "2-5", "--selected",
        "" + SELECTED, "--rounds", "" + ROUNDS, "--trials", "" + TRIALS, "--algorithm", "rerce,rerce-continual",
        "--channel", "erasure:0.2+awgn", "--seed", "5", "--quiet"};

    @TempDir
    static Path tmp;

    private Dashboard dashboard;
    private List<Sse> live;
    private List<Sse> paced;
    private Path out;

    /** One Server-Sent Event. */
    record Sse(String type, JsonNode data) {
    }

    @BeforeAll
    void runOnceWithASubscriberFromTheStart() throws Exception {
        startSystem("dashboard-http-test");
        dashboard = Dashboard.start(new DashboardAddress("127.0.0.1", 0));
        // The stream is read (its entity materialized) on another thread, until it ends.
        final CompletableFuture<String> events = CompletableFuture.supplyAsync(() -> {
            final TestRouteResult result = testRoute(dashboard.route()).run(HttpRequest.GET("/events"));
            result.assertStatusCode(200);
            result.assertMediaType("text/event-stream");
            return result.entityString();
        });
        awaitSubscribers(dashboard, 1);                              // subscribed: it will see every round
        final CompletableFuture<String> curves = CompletableFuture.supplyAsync(() ->
                testRoute(dashboard.route()).run(HttpRequest.GET("/events?view=curves")).entityString());
        awaitSubscribers(dashboard, 2);                              // and the page's view beside it
        out = tmp.resolve("out");
        assertEquals(0, simulate(dashboard, out, EXPERIMENT));
        dashboard.board().ended("complete", "the run is complete");
        live = parse(events.get());
        paced = parse(curves.get());
    }

    @AfterAll
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        stopSystem();
    }

    /** Runs {@code fedlink simulate} in this JVM, shown on {@code dashboard}; returns its exit status. */
    static int simulate(Dashboard dashboard, Path out, String... args) throws IOException {
        final SimulateCommand command = new SimulateCommand();
        final CommandLine cmd = new CommandLine(command);
        final StringWriter text = new StringWriter();
        cmd.setOut(new PrintWriter(text, true));
        cmd.setErr(new PrintWriter(text, true));
        cmd.parseArgs(args);
        final int status = command.prepare(cmd, out).execute(cmd.getOut(), cmd.getErr(), "fedlink simulate (test)",
                results -> { }, dashboard, "test run");
        assertEquals(0, status, text.toString());
        return status;
    }

    /** Waits (a liveness bound) until the dashboard has this many /events subscribers: the signal to start. */
    static void awaitSubscribers(Dashboard dashboard, int count) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (dashboard.board().subscribers() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no /events subscriber within 60 s");
            }
            Thread.sleep(20);
        }
    }

    static List<Sse> parse(String stream) throws IOException {
        final List<Sse> events = new ArrayList<>();
        for (String block : stream.split("\n\n")) {
            String type = null;
            final StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    type = line.substring("event:".length()).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring("data:".length()));
                }
            }
            if (type != null) {
                events.add(new Sse(type, JSON.readTree(data.toString())));
            }
        }
        return events;
    }

    static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return ResultFiles.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    @Test
    void eventsCarryEveryClosedRoundThenEachSeriesAsTheFilesHaveIt() throws IOException {
        assertEquals("run", live.get(0).type(), "the run comes first");
        assertEquals(ROUNDS, live.get(0).data().path("rounds").asInt());
        assertEquals("end", live.get(live.size() - 1).type(), "and the end last");
        assertEquals("complete", live.get(live.size() - 1).data().path("outcome").asText());

        // One event per closed round: every (series, trial, round) exactly once.
        final Set<String> seen = new HashSet<>();
        for (Sse e : live) {
            if (e.type().equals("round")) {
                final JsonNode r = e.data();
                assertTrue(seen.add(r.path("series").asInt() + "/" + r.path("trial").asInt() + "/"
                        + r.path("round").asInt()), "a round twice: " + r);
                assertEquals(SELECTED, r.path("polled").asInt(), r.toString());
            }
        }
        assertEquals(2 * TRIALS * ROUNDS, seen.size(), "one round event per closed round of each trial");

        // Each series ends with its curve (curves.csv's numbers) and its summary.csv row.
        final List<CSVRecord> summary = csv(out.resolve("summary.csv"));
        final List<CSVRecord> curves = csv(out.resolve("curves.csv"));
        final Map<Integer, JsonNode> done = new HashMap<>();
        for (Sse e : live) {
            if (e.type().equals("series") && e.data().path("state").asText().equals("done")) {
                done.put(e.data().path("series").asInt(), e.data());
            }
        }
        assertEquals(2, done.size());
        for (int s = 0; s < 2; s++) {
            final JsonNode state = done.get(s);
            final CSVRecord row = summary.get(s);
            for (String column : ResultFiles.SUMMARY_HEADER.split(",")) {
                assertEquals(row.get(column), state.path("summary").path(column).asText(), column + " of " + row.get(0));
            }
            for (int n = 0; n < ROUNDS; n++) {
                assertEquals(Double.parseDouble(curves.get(s * ROUNDS + n).get("nmse_db")),
                        state.path("mean_db").get(n).asDouble(), "round " + (n + 1) + " of " + row.get(0));
            }
            assertEquals(TRIALS, state.path("totals").path("trials_done").asInt());
            assertEquals(Long.parseLong(row.get("lost_uplinks")), state.path("totals").path("lost_uplinks").asLong());
        }
        assertTrue(Long.parseLong(summary.get(0).get("lost_uplinks")) > 0, "the channel loses uploads");
    }

    @Test
    void thePagesViewCarriesCurvesNotEveryTrialsRounds() {
        assertEquals("run", paced.get(0).type());
        assertEquals("end", paced.get(paced.size() - 1).type());
        assertTrue(paced.stream().noneMatch(e -> e.type().equals("round")), "no round events in the page's view");
        // Each series ends as the full view ends it (curves.csv's numbers and summary.csv's row, checked above).
        for (int s = 0; s < 2; s++) {
            assertEquals(lastDone(live, s), lastDone(paced, s), "series " + s + " as the full view ends it");
        }
        // What it shows of a running series only grows: trials past each round never fall.
        final Map<Integer, int[]> seen = new HashMap<>();
        for (Sse e : paced) {
            if (e.type().equals("series")) {
                final int[] at = JSON.convertValue(e.data().path("trials_at_round"), int[].class);
                final int[] before = seen.getOrDefault(e.data().path("series").asInt(), new int[0]);
                for (int n = 0; n < before.length; n++) {
                    assertTrue(n < at.length && at[n] >= before[n], "trials at round " + (n + 1) + " fell: " + e.data());
                }
                seen.put(e.data().path("series").asInt(), at);
            }
        }
    }

    @Test
    void anUnknownViewIsRefusedSayingWhatIsOffered() {
        final TestRouteResult result = testRoute(dashboard.route()).run(HttpRequest.GET("/events?view=all"));
        result.assertStatusCode(400);
        assertTrue(result.entityString().contains("expected view=curves"), result.entityString());
    }

    private static JsonNode lastDone(List<Sse> events, int series) {
        JsonNode last = null;
        for (Sse e : events) {
            if (e.type().equals("series") && e.data().path("series").asInt() == series
                    && e.data().path("state").asText().equals("done")) {
                last = e.data();
            }
        }
        assertTrue(last != null, "series " + series + " done");
        return last;
    }

    @Test
    void aLateSubscriberGetsTheWholeStateAndTheEnd() throws IOException {
        final List<Sse> late = parse(testRoute(dashboard.route()).run(HttpRequest.GET("/events")).entityString());
        assertEquals(List.of("run", "series", "series", "end"), late.stream().map(Sse::type).toList());
        assertEquals(ROUNDS, late.get(1).data().path("mean_db").size());
    }

    /** Prometheus text: {@code name{labels} value} lines, keyed by name and labels as written. */
    static Map<String, Double> samples(String exposition) {
        final Map<String, Double> samples = new HashMap<>();
        final Pattern line = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{.*\\})?) (\\S+)");
        for (String l : exposition.split("\n")) {
            final Matcher m = line.matcher(l);
            if (!l.startsWith("#") && m.matches()) {
                samples.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return samples;
    }

    @Test
    void metricsAreAPrometheusExpositionThatCountsWhatTheSummarySays() throws IOException {
        final TestRouteResult result = testRoute(dashboard.route()).run(HttpRequest.GET("/metrics"));
        result.assertStatusCode(200);
        assertTrue(result.contentTypeString().startsWith("text/plain; version=0.0.4"), result.contentTypeString());
        final String text = result.entityString();
        assertTrue(text.contains("# TYPE fedlink_rounds_total counter"), text);
        assertTrue(text.contains("# TYPE fedlink_nmse_db gauge"), text);
        final Map<String, Double> samples = samples(text);
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")), "JVM metrics");
        final List<CSVRecord> curves = csv(out.resolve("curves.csv"));
        int s = 0;
        for (CSVRecord row : csv(out.resolve("summary.csv"))) {
            final String labels = "{run=\"test run\",series=\"" + row.get("series") + "\"}";
            assertEquals(TRIALS * ROUNDS, samples.get("fedlink_rounds_total" + labels), labels);
            assertEquals(TRIALS, samples.get("fedlink_trials_completed_total" + labels), labels);
            assertEquals(TRIALS * ROUNDS * SELECTED, samples.get("fedlink_polls_total" + labels), labels);
            assertEquals(Double.parseDouble(row.get("lost_uplinks")), samples.get("fedlink_uploads_lost_total" + labels));
            assertEquals(Double.parseDouble(row.get("lost_downlinks")), samples.get("fedlink_polls_lost_total" + labels));
            assertEquals(0.0, samples.get("fedlink_polls_dropped_total" + labels));
            assertEquals(0.0, samples.get("fedlink_uploads_rejected_total" + labels));
            assertTrue(samples.get("fedlink_uploads_received_total" + labels) > 0);
            assertEquals(Double.parseDouble(curves.get(s * ROUNDS + ROUNDS - 1).get("nmse_db")),
                    samples.get("fedlink_nmse_db" + labels), "the latest NMSE is the curve's last round");
            s++;
        }
        assertEquals(8.0, samples.get("fedlink_live_clients"));
    }

    @Test
    void onlyGetIsAccepted() {
        for (HttpRequest request : List.of(HttpRequest.POST("/events"), HttpRequest.PUT("/metrics"),
                HttpRequest.DELETE("/"), HttpRequest.POST("/nothing-here"),
                HttpRequest.create("/cluster/members").withMethod(HttpMethods.PATCH))) {
            final TestRouteResult result = testRoute(dashboard.route()).run(request);
            result.assertStatusCode(405);
            result.assertHeaderExists("Allow", "GET");
        }
        testRoute(dashboard.route()).run(HttpRequest.GET("/nothing-here")).assertStatusCode(404);
        final TestRouteResult noCluster = testRoute(dashboard.route()).run(HttpRequest.GET("/cluster/members"));
        noCluster.assertStatusCode(404);
        assertTrue(noCluster.entityString().contains("cluster's server node"), noCluster.entityString());
        final TestRouteResult page = testRoute(dashboard.route()).run(HttpRequest.GET("/"));
        page.assertStatusCode(200);
        assertTrue(page.entityString().contains("assets/uplot/uPlot.iife.min.js"));
        assertFalse(page.entityString().contains("http://") || page.entityString().contains("https://"),
                "every asset from the jar");
        testRoute(dashboard.route()).run(HttpRequest.GET("/assets/uplot/uPlot.iife.min.js")).assertStatusCode(200);
        testRoute(dashboard.route()).run(HttpRequest.GET("/assets/dashboard.js")).assertStatusCode(200);
    }
}
