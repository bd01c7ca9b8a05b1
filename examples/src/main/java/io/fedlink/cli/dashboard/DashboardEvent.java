package io.fedlink.cli.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;
import java.util.Map;

/**
 * What {@code /events} sends, one Server-Sent Event each (its {@code event:} is {@link #type()}, its
 * {@code data:} the record as JSON, fields in snake_case). A subscriber first gets the state so far
 * ({@code run}, a {@code series} per series, the last {@code membership}, and {@code end} if the run is
 * over), then every change: a {@code round} per closed round of a trial, a {@code series} when a series
 * starts or completes, a {@code membership} per membership change, and {@code end}, after which the
 * stream ends. NMSE values that are not finite numbers (a diverged curve) are {@code null}.
 */
public sealed interface DashboardEvent {

    /** The SSE event type. */
    String type();

    /** JSON, as {@code data:} carries it. */
    default String json() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A run starts (a sweep starts one per point): what it is and how each series is drawn.
     *
     * @param setting what nmse.png's title says (K, L, C, the link variances, the trials)
     * @param engine  how it runs, e.g. {@code actors (lockstep)} or {@code cluster (server 127.0.0.1:25520)}
     */
    record Run(String title, String setting, int clients, int dim, int rounds, int trials, String engine,
               boolean cluster, List<Series> series) implements DashboardEvent {
        @Override
        public String type() {
            return "run";
        }
    }

    /**
     * One series as nmse.png draws it.
     *
     * @param colour    CSS colour, nmse.png's colour for this series
     * @param dash      nmse.png's dash pattern in pixels (drawn, gap, ...); empty for a solid line
     * @param continual an algorithm that steps when not polled (drawn dashed)
     */
    record Series(int index, String label, String legend, String algorithm, int selected, String colour,
                  float[] dash, boolean continual) {
    }

    /**
     * Where one series is, whole: sent on subscribing, and when the series starts and completes.
     *
     * @param state          {@code waiting}, {@code running} or {@code done}
     * @param meanDb         NMSE (dB) per round 1..: running, the linear mean over the trials that have
     *                       closed that round (as long as the furthest trial has got); done, the
     *                       series' curve as curves.csv has it
     * @param trialsAtRound  how many trials each running mean is over
     * @param summary        done: the series' summary.csv row (column to cell, exactly as written) and
     *                       the console's {@code updates_per_second} and {@code dropped_polls}; else null
     */
    record SeriesState(int series, String state, Double[] meanDb, int[] trialsAtRound, Totals totals,
                       Map<String, String> summary) implements DashboardEvent {
        @Override
        public String type() {
            return "series";
        }
    }

    /**
     * One closed round of one trial, as the trial's monitor measured it.
     *
     * @param nmseDb        this trial's NMSE after the round, in dB
     * @param meanDb        the series' running mean at this round (see {@link SeriesState#meanDb})
     * @param trialsAtRound how many trials that mean is over
     * @param totals        the series so far
     */
    record Round(int series, int trial, int round, Double nmseDb, Double meanDb, int trialsAtRound, int polled,
                 int received, int dropped, int rejected, int lostUplinks, int lostDownlinks, int clients,
                 Totals totals) implements DashboardEvent {
        @Override
        public String type() {
            return "round";
        }
    }

    /**
     * A series' counts so far.
     *
     * @param rounds           trial rounds closed
     * @param polls            polls sent
     * @param received         uploads the servers aggregated
     * @param dropped          polls of clients that stopped or stayed silent
     * @param rejected         uploads the servers refused
     * @param lostUplinks      uploads the channels lost
     * @param lostDownlinks    polls the channels lost
     * @param updatesPerSecond client updates per second since the series started
     * @param seconds          since the series started (its whole time once done)
     */
    record Totals(long rounds, int trialsDone, long polls, long received, long dropped, long rejected,
                  long lostUplinks, long lostDownlinks, long clientUpdates, double updatesPerSecond, double seconds) {
    }

    /**
     * The cluster as the server node sees it, after every change.
     *
     * @param liveClients clients on clients nodes that are up, reachable and taking part
     */
    record Membership(List<Member> members, List<ClientsNode> clientsNodes, int liveClients)
            implements DashboardEvent {
        @Override
        public String type() {
            return "membership";
        }
    }

    /**
     * A cluster member.
     *
     * @param status Pekko's member status ({@code Joining}, {@code Up}, {@code Leaving}, {@code Exiting},
     *               {@code Down}, {@code Removed}, ...)
     */
    record Member(String address, long uid, String status, List<String> roles, boolean reachable) {
    }

    /**
     * A clients node, once it has offered its clients (it stays listed, with no live clients, once removed).
     *
     * @param liveClients its clients, while it is up, reachable and listed by the coordinator; else 0
     */
    record ClientsNode(String address, int firstClient, int lastClient, String status, boolean reachable,
                       int liveClients) {
    }

    /**
     * The command is over; the stream ends after this.
     *
     * @param outcome {@code complete} or {@code failed}
     * @param message what happened, one line
     */
    record End(String outcome, String message) implements DashboardEvent {
        @Override
        public String type() {
            return "end";
        }
    }

    /** The JSON writer: records by their components, snake_case. */
    final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

        private Json() {
        }
    }
}
