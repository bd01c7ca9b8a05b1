package io.fedlink.cli.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/**
 * What the dashboard serves, read-only: GET (and HEAD) only, anything else is 405.
 *
 * <pre>
 *   /              the page (every asset from the jar: no CDN, works offline)
 *   /assets/...    its script, style and uPlot
 *   /events        Server-Sent Events (see {@link DashboardEvent})
 *   /metrics       Prometheus exposition (the Prometheus Java client's writer)
 *   /cluster/...   on a cluster's server node, Pekko Management's read-only cluster routes
 *                  (/cluster/members, /cluster/members/{address}, /cluster/domain-events)
 * </pre>
 */
final class DashboardRoutes extends AllDirectives {

    static final String WEB = "io/fedlink/cli/dashboard/web/";

    /** How often an idle /events stream carries a comment, so that proxies and browsers keep it open. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final ByteString HEARTBEAT_COMMENT = ByteString.fromString(":\n\n");
    private static final ContentType EVENT_STREAM = ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM);
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final Duration CHUNK_WAIT = Duration.ofMillis(20);

    private final RunBoard board;
    private final DashboardMetrics metrics;
    private final AtomicReference<ClusterRoutes> cluster = new AtomicReference<>();

    /** Pekko Management's routes for a cluster node, and when that node's actor system has stopped. */
    record ClusterRoutes(Route routes, CompletionStage<Done> terminated) {
    }

    DashboardRoutes(RunBoard board, DashboardMetrics metrics) {
        this.board = board;
        this.metrics = metrics;
    }

    /** Mounts a cluster node's membership routes. */
    void attach(ClusterRoutes routes) {
        cluster.set(routes);
    }

    Route route() {
        return concat(
                readOnly(),
                pathSingleSlash(() -> getFromResource(WEB + "index.html")),
                pathPrefix("assets", () -> getFromResourceDirectory(WEB + "assets")),
                path("events", this::events),
                path("metrics", this::metrics),
                pathPrefixTest("cluster", this::cluster));
    }

    /** Refuses every method but GET (HEAD arrives as GET): no endpoint changes anything. */
    private Route readOnly() {
        return extractMethod(method -> method.equals(HttpMethods.GET) ? reject()
                : complete(HttpResponse.create().withStatus(StatusCodes.METHOD_NOT_ALLOWED)
                        .addHeader(Allow.create(HttpMethods.GET))
                        .withEntity("the dashboard is read-only: GET only\n")));
    }

    /**
     * The events, as Server-Sent Events; those that come in a burst (a run closes tens of thousands of
     * rounds a second) travel together in one chunk, at most {@value #CHUNK_BYTES} bytes or
     * {@code CHUNK_WAIT} late, instead of one chunk (and one write) each.
     */
    private Route events() {
        return get(() -> parameterOptional("view", view -> {
            if (view.isPresent() && !view.get().equals(CURVES_VIEW)) {
                return complete(StatusCodes.BAD_REQUEST, "/events?view=" + view.get() + ": expected view=" + CURVES_VIEW
                        + " (each running series' curve a few times a second, the page's view), or no view (every "
                        + "trial's every round)\n");
            }
            return events(view.isEmpty());
        }));
    }

    /** The view of /events the page takes: curves, paced, instead of every trial's rounds. */
    static final String CURVES_VIEW = "curves";

    private Route events(boolean rounds) {
        return get(() -> respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> complete(
                HttpResponse.create().withEntity(HttpEntities.createChunked(EVENT_STREAM, board.events(rounds)
                        .map(DashboardRoutes::encode)
                        .keepAlive(HEARTBEAT, () -> HEARTBEAT_COMMENT)
                        .groupedWeightedWithin(CHUNK_BYTES, bytes -> (long) bytes.size(), CHUNK_WAIT)
                        .map(DashboardRoutes::concat))))));
    }

    /** One event as the SSE format has it: its type, and its JSON (one line) as the data. */
    static ByteString encode(DashboardEvent event) {
        return ByteString.fromString("event: " + event.type() + "\ndata: " + event.json() + "\n\n",
                StandardCharsets.UTF_8);
    }

    private static ByteString concat(List<ByteString> parts) {
        ByteString all = ByteString.emptyByteString();
        for (ByteString part : parts) {
            all = all.concat(part);
        }
        return all;
    }

    private Route metrics() {
        return get(() -> optionalHeaderValueByName("Accept", accept -> {
            final DashboardMetrics.Exposition exposition = metrics.scrape(accept.orElse(""));
            return complete(HttpResponse.create().withEntity(HttpEntities.create(
                    ContentTypes.parse(exposition.contentType()), exposition.body())));
        }));
    }

    /** The cluster routes, or why there are none: looked up per request (the cluster starts after the server). */
    private Route cluster() {
        final ClusterRoutes routes = cluster.get();
        if (routes == null) {
            return complete(StatusCodes.NOT_FOUND, "no cluster here: /cluster is served on a cluster's server node\n");
        }
        if (routes.terminated().toCompletableFuture().isDone()) {
            return complete(StatusCodes.SERVICE_UNAVAILABLE, "this node has left the cluster (the run is over); "
                    + "/events and the page keep its last membership\n");
        }
        return routes.routes();
    }
}
