package io.fedlink.cli.dashboard;

import io.fedlink.actors.RoundMetrics;
import io.fedlink.actors.RoundObserver;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.metric.Nmse;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;

/**
 * What the dashboard shows, kept as the run goes: per series the running mean curve and the counts,
 * the cluster's membership, and whether the command is over; and the subscribers of {@code /events},
 * each a bounded queue that is handed every change.
 *
 * <p>The engine's metrics stream calls {@link #roundClosed} on its own thread, once per round of each
 * trial; that call does a few additions and, for each subscriber, one non-blocking offer: it never
 * waits. Everything slower (JSON, the network) happens in the subscribers' streams on the dashboard's
 * own actor system. A subscriber that falls {@value #BUFFER} events behind is let go (its stream ends
 * after what it has; a browser reconnects and starts again from the state so far): a slow reader never
 * slows the run. Nothing here feeds back into the run.
 */
public final class RunBoard implements RoundObserver {

    /** Events a subscriber may be behind before it is let go. */
    static final int BUFFER = 16_384;

    private final DashboardMetrics metrics;
    private final List<Subscriber> subscribers = new ArrayList<>();
    /** How many subscribers take every trial's rounds (the others take {@link #tick paced} curves). */
    private int roundSubscribers;
    private final Map<SeriesSpec, Track> tracks = new IdentityHashMap<>();
    private Track[] byIndex = new Track[0];
    private DashboardEvent.Run run;
    private DashboardEvent.Membership membership;
    private DashboardEvent.End end;

    RunBoard(DashboardMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * One {@code /events} stream.
     *
     * @param rounds true: a {@code round} event per closed round of each trial; false (the page's
     *               view): instead, each running series' curve so far as a {@code series} event at each
     *               {@link #tick}, when it changed
     */
    private record Subscriber(BoundedSourceQueue<DashboardEvent> queue, boolean rounds) {
    }

    /** One series as the board follows it. */
    private static final class Track {
        final int index;
        final int trials;
        final double[] sum;
        final int[] count;
        final DashboardMetrics.Series counters;
        int frontier;
        /** Rounds closed since the last {@link #tick}. */
        boolean changed;
        long rounds;
        long polls;
        long received;
        long dropped;
        long rejected;
        long lostUplinks;
        long lostDownlinks;
        long updates;
        int trialsDone;
        long startNanos;
        double seconds;
        String state = "waiting";
        double[] finalDb;
        Map<String, String> summary;

        Track(int index, int rounds, int trials, DashboardMetrics.Series counters) {
            this.index = index;
            this.trials = trials;
            this.sum = new double[rounds];
            this.count = new int[rounds];
            this.counters = counters;
        }

        double meanDb(int round) {
            return Nmse.toDb(sum[round - 1] / count[round - 1]);
        }

        double secondsSoFar() {
            return state.equals("done") ? seconds : startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1e9;
        }

        DashboardEvent.Totals totals() {
            final double s = secondsSoFar();
            return new DashboardEvent.Totals(rounds, trialsDone, polls, received, dropped, rejected, lostUplinks,
                    lostDownlinks, updates, s > 0 ? updates / s : 0, s);
        }

        DashboardEvent.SeriesState state() {
            final int shown = finalDb != null ? finalDb.length : frontier;
            final Double[] db = new Double[shown];
            final int[] at = new int[shown];
            for (int n = 0; n < shown; n++) {
                db[n] = finite(finalDb != null ? finalDb[n] : count[n] > 0 ? meanDb(n + 1) : Double.NaN);
                at[n] = finalDb != null ? trials : count[n];
            }
            return new DashboardEvent.SeriesState(index, state, db, at, totals(), summary);
        }
    }

    /**
     * A run starts: from now on the board shows it (a sweep starts one run per point, each replacing
     * the last on the page; the Prometheus counters keep them apart by their {@code run} label).
     *
     * @param series the run's series, in the order of {@code info.series()}, as the engine will name them
     */
    public synchronized void runStarted(DashboardEvent.Run info, List<SeriesSpec> series) {
        run = info;
        tracks.clear();
        byIndex = new Track[series.size()];
        for (int i = 0; i < series.size(); i++) {
            final Track t = new Track(i, info.rounds(), info.trials(),
                    metrics.series(info.title(), info.series().get(i).label()));
            byIndex[i] = t;
            tracks.put(series.get(i), t);
        }
        publish(info);
        for (Track t : byIndex) {
            publish(t.state());
        }
    }

    /** A series starts running. */
    public synchronized void seriesStarted(SeriesSpec series) {
        final Track t = tracks.get(series);
        if (t != null) {
            t.state = "running";
            t.startNanos = System.nanoTime();
            publish(t.state());
        }
    }

    /** A trial of a series has delivered every round (or was restored from a checkpoint). */
    public synchronized void trialCompleted(SeriesSpec series) {
        final Track t = tracks.get(series);
        if (t != null) {
            t.trialsDone++;
            t.counters.trials().inc();
        }
    }

    @Override
    public synchronized void roundClosed(SeriesSpec series, RoundMetrics m) {
        final Track t = tracks.get(series);
        if (t == null || m.round() < 1 || m.round() > t.sum.length) {
            return;
        }
        final int n = m.round() - 1;
        t.changed = true;
        t.sum[n] += m.nmse();
        t.count[n]++;
        t.frontier = Math.max(t.frontier, m.round());
        t.rounds++;
        t.polls += m.polled();
        t.received += m.received();
        t.dropped += m.dropped();
        t.rejected += m.rejected();
        t.lostUplinks += m.lostUplinks();
        t.lostDownlinks += m.lostDownlinks();
        t.updates += m.clientUpdates();

        final DashboardMetrics.Series c = t.counters;
        c.rounds().inc();
        c.polls().inc(m.polled());
        c.received().inc(m.received());
        c.dropped().inc(m.dropped());
        c.rejected().inc(m.rejected());
        c.lostUploads().inc(m.lostUplinks());
        c.lostPolls().inc(m.lostDownlinks());
        c.updates().inc(m.clientUpdates());
        if (m.round() == t.frontier) {
            c.nmse().set(t.meanDb(m.round()));
        }
        if (!run.cluster()) {
            metrics.liveClients(m.clients());
        }
        if (roundSubscribers > 0) {
            publish(new DashboardEvent.Round(t.index, m.trial(), m.round(), finite(Nmse.toDb(m.nmse())),
                    finite(t.meanDb(m.round())), t.count[n], m.polled(), m.received(), m.dropped(), m.rejected(),
                    m.lostUplinks(), m.lostDownlinks(), m.clients(), t.totals()));
        }
    }

    /**
     * A series is done: its final curve and summary replace the running ones.
     *
     * @param curveDb its curve, as curves.csv has it
     * @param summary its summary.csv row (column to cell) and the console's extra columns
     * @param seconds its wall-clock time
     */
    public synchronized void seriesCompleted(SeriesSpec series, double[] curveDb, Map<String, String> summary,
                                             double seconds) {
        final Track t = tracks.get(series);
        if (t == null) {
            return;
        }
        t.state = "done";
        t.finalDb = curveDb.clone();
        t.summary = Map.copyOf(summary);
        t.seconds = seconds;
        t.trialsDone = t.trials;
        if (curveDb.length > 0) {
            t.counters.nmse().set(curveDb[curveDb.length - 1]);
        }
        publish(t.state());
    }

    /** The cluster's membership changed. */
    public synchronized void membership(DashboardEvent.Membership now) {
        membership = now;
        metrics.liveClients(now.liveClients());
        publish(now);
    }

    /**
     * The paced subscribers' beat (the dashboard calls it a few times a second): each running series
     * whose curve changed since the last beat, as a {@code series} event with its whole curve so far.
     * A page needs no more: it redraws a few times a second anyway, and a run closes tens of thousands
     * of trial rounds a second, each of which would cost JSON, a socket write and a parse.
     */
    public synchronized void tick() {
        if (subscribers.size() == roundSubscribers) {
            return;                                           // nobody paced: the flags wait for one
        }
        for (Track t : byIndex) {
            if (t.changed && !t.state.equals("done")) {
                t.changed = false;
                publish(t.state(), false);
            }
        }
    }

    /** The command is over: every subscriber gets {@code end}, and its stream ends. */
    public synchronized void ended(String outcome, String message) {
        if (end != null) {
            return;
        }
        end = new DashboardEvent.End(outcome, message);
        for (Subscriber s : subscribers) {
            s.queue().offer(end);
            s.queue().complete();
        }
        subscribers.clear();
        roundSubscribers = 0;
    }

    /** How many {@code /events} streams are open. */
    public synchronized int subscribers() {
        return subscribers.size();
    }

    /**
     * A new subscriber's events: the state so far, then every change, until {@code end}. Each
     * materialization is a subscriber of its own.
     *
     * @param rounds every trial's every round ({@code /events}), or the page's paced view
     *               ({@code /events?view=curves}, see {@link #tick})
     */
    Source<DashboardEvent, NotUsed> events(boolean rounds) {
        return Source.<DashboardEvent>queue(BUFFER)
                .watchTermination(Keep.both())
                .mapMaterializedValue(pair -> {
                    final BoundedSourceQueue<DashboardEvent> queue = pair.first();
                    final Subscriber subscriber = new Subscriber(queue, rounds);
                    subscribe(subscriber);
                    pair.second().whenComplete((done, failure) -> unsubscribe(subscriber));
                    return NotUsed.getInstance();
                });
    }

    private synchronized void subscribe(Subscriber subscriber) {
        final BoundedSourceQueue<DashboardEvent> queue = subscriber.queue();
        if (run != null) {
            queue.offer(run);
            for (Track t : byIndex) {
                queue.offer(t.state());
            }
        }
        if (membership != null) {
            queue.offer(membership);
        }
        if (end != null) {
            queue.offer(end);
            queue.complete();
            return;
        }
        subscribers.add(subscriber);
        roundSubscribers += subscriber.rounds() ? 1 : 0;
    }

    private synchronized void unsubscribe(Subscriber subscriber) {
        if (subscribers.remove(subscriber)) {
            roundSubscribers -= subscriber.rounds() ? 1 : 0;
        }
    }

    /** Hands an event to every subscriber; one that is full or gone is let go. */
    private void publish(DashboardEvent event) {
        publish(event, true);
    }

    /** @param toRoundSubscribers false: to the paced subscribers only (their beat) */
    private void publish(DashboardEvent event, boolean toRoundSubscribers) {
        for (int i = subscribers.size() - 1; i >= 0; i--) {
            final Subscriber s = subscribers.get(i);
            if (s.rounds() && !toRoundSubscribers || !s.rounds() && event instanceof DashboardEvent.Round) {
                continue;
            }
            final QueueOfferResult result = s.queue().offer(event);
            if (result != QueueOfferResult.enqueued()) {
                subscribers.remove(i);
                roundSubscribers -= s.rounds() ? 1 : 0;
                if (result == QueueOfferResult.dropped()) {
                    s.queue().complete();                 // too far behind: it ends after what it has
                }
            }
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
