package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
import io.fedlink.core.linalg.VectorOps;
import io.fedlink.core.metric.Nmse;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import io.fedlink.protocol.MonitorMessage.TrialEnded;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The monitor of a federation's block of trials (one trial on a cluster): turns the clients' deviation
 * reports and the server's round reports into one {@link RoundMetrics} per trial and round, in round order,
 * as soon as every client has reported that round. NMSE_n sums ||w_k - w*||^2 over clients in id order,
 * exactly as the reference engine does.
 *
 * <p>A client that stopped keeps its last reported deviations for the rounds it missed (its model is
 * gone; the last known one stands). The same holds for reports that never arrive (a message lost on a
 * cluster's link, a clients node that stays silent): a report that skips rounds has the skipped ones
 * filled from the client's last known deviations, and once the trial has ended (its scheduler has asked
 * every client for its last report), a client still owing rounds after {@code reportGrace} without any
 * report arriving gets them filled the same way, or, if it was never heard at all, counts as absent.
 * Either is logged as a warning naming the client and the rounds. So the monitor's wait is bounded: a
 * lost report costs a stale value in a metric, not a trial that never ends.
 *
 * <p>When the outlet is full the monitor holds its measurements and tries again shortly: nothing is
 * dropped. When the outlet is closed or has failed, the monitor fails, and with it the block: its
 * rounds could not be delivered.
 */
public final class TrialMonitor extends AbstractBehavior<MonitorMessage> {

    private enum Flush implements MonitorMessage.Local {
        INSTANCE
    }

    /** The trial has ended and {@code reportGrace} passed without a deviation report: stop waiting. */
    private enum ReportsOverdue implements MonitorMessage.Local {
        INSTANCE
    }

    private static final Duration RETRY = Duration.ofMillis(5);

    private final int[] trials;
    private final int size;
    private final int clients;
    private final int rounds;
    private final double optimumSquaredNorm;
    private final boolean[] absent;
    private int present;
    private final boolean stepsWhenNotPolled;
    private final ActorRef<TrialDone> trialDone;
    private final TimerScheduler<MonitorMessage> timers;
    private final Duration reportGrace;
    private boolean trialEnded;

    private final double[][][] deviations;     // [round][slot][client], rows freed once emitted
    private final int[] coverage;              // clients that have reported each round
    private final int[] reportedThrough;
    private final double[][] lastDeviation;    // [client][slot]
    private final RoundReport[][] reports;     // [round][slot]
    private final int[] reportCount;           // slots the server has reported, per round
    private final MetricsOutbox outbox;
    private final long[] reportNanos;
    private int nextRound = 1;
    private int droppedPolls;
    private int rejectedUploads;
    private long clientUpdates;
    private int activeClients;

    private TrialMonitor(ActorContext<MonitorMessage> context, TimerScheduler<MonitorMessage> timers, int[] trials,
                         int clients, int rounds, double optimumSquaredNorm, boolean stepsWhenNotPolled,
                         Duration reportGrace, MetricsOutlet outlet, ActorRef<TrialDone> trialDone) {
        super(context);
        this.timers = timers;
        this.reportGrace = reportGrace;
        this.trials = trials.clone();
        this.size = trials.length;
        this.clients = clients;
        this.rounds = rounds;
        this.optimumSquaredNorm = optimumSquaredNorm;
        this.absent = new boolean[clients];
        this.present = clients;
        this.stepsWhenNotPolled = stepsWhenNotPolled;
        this.outbox = new MetricsOutbox(outlet);
        this.trialDone = trialDone;
        this.reportNanos = new long[rounds + 1];
        this.deviations = new double[rounds + 1][][];
        this.coverage = new int[rounds + 1];
        this.reportedThrough = new int[clients];
        Arrays.fill(reportedThrough, -1);
        this.lastDeviation = new double[clients][size];
        for (double[] last : lastDeviation) {
            Arrays.fill(last, Double.NaN);
        }
        this.reports = new RoundReport[rounds + 1][size];
        this.reportCount = new int[rounds + 1];
        this.activeClients = clients;
    }

    /**
     * The monitor of a federation of one trial.
     *
     * @param clients            K
     * @param rounds             T
     * @param optimumSquaredNorm ||w*||^2
     * @param stepsWhenNotPolled whether every client steps every round (for the update count)
     * @param reportGrace        how long after the trial's end, without any report arriving, the monitor
     *                           waits for the reports still owed before it fills them in
     * @param outlet             the metrics stream's entry
     * @param trialDone          told once every round has been delivered
     */
    public static Behavior<MonitorMessage> create(int trial, int clients, int rounds, double optimumSquaredNorm,
                                                  boolean stepsWhenNotPolled, Duration reportGrace,
                                                  MetricsOutlet outlet, ActorRef<TrialDone> trialDone) {
        return create(new int[] {trial}, clients, rounds, optimumSquaredNorm, stepsWhenNotPolled, reportGrace, outlet,
                trialDone);
    }

    /** The monitor of a block of trials: {@code trials} by slot. */
    public static Behavior<MonitorMessage> create(int[] trials, int clients, int rounds, double optimumSquaredNorm,
                                                  boolean stepsWhenNotPolled, Duration reportGrace,
                                                  MetricsOutlet outlet, ActorRef<TrialDone> trialDone) {
        if (reportGrace.isNegative() || reportGrace.isZero()) {
            throw new IllegalArgumentException("the wait for owed deviation reports must be positive, not "
                    + reportGrace);
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new TrialMonitor(ctx, timers, trials, clients,
                rounds, optimumSquaredNorm, stepsWhenNotPolled, reportGrace, outlet, trialDone)));
    }

    @Override
    public Receive<MonitorMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(DeviationReport.class, this::onDeviationReport)
                .onMessage(RoundReport.class, this::onRoundReport)
                .onMessage(TrialEnded.class, this::onTrialEnded)
                .onMessageEquals(Flush.INSTANCE, this::flush)
                .onMessageEquals(ReportsOverdue.INSTANCE, this::onReportsOverdue)
                .build();
    }

    private Behavior<MonitorMessage> onDeviationReport(DeviationReport report) {
        final int k = report.clientId();
        if (k >= 0 && k < clients && report.firstRound() == 0 && reportedThrough[k] >= 0) {
            // A second actor for client k (a node that re-joined) announcing itself; the scheduler
            // keeps the first, so this one's reports do not belong to the trial.
            getContext().getLog().debug("{}: client {} announced again; ignored", Trials.describe(trials), k);
            return Behaviors.same();
        }
        if (k >= 0 && k < clients && absent[k]) {
            getContext().getLog().warn("{}: deviation report from client {}, which is absent from the trial; ignored",
                    Trials.describe(trials), k);
            return Behaviors.same();
        }
        final int values = report.deviations().length;
        if (k < 0 || k >= clients || report.firstRound() <= reportedThrough[k] || values == 0
                || values % size != 0 || report.firstRound() + values / size - 1 > rounds) {
            getContext().getLog().warn("{}: deviation report from client {} for rounds {}+{} does not follow "
                    + "round {}; ignored", Trials.describe(trials), k, report.firstRound(), values / (double) size,
                    k >= 0 && k < clients ? reportedThrough[k] : -1);
            return Behaviors.same();
        }
        if (report.firstRound() > reportedThrough[k] + 1) {
            // Reports in between were lost (on a cluster's link): the nearest known deviations stand for them.
            getContext().getLog().warn("{}: no deviation report from client {} for rounds {}..{}; its {} deviations "
                    + "stand for them", Trials.describe(trials), k, reportedThrough[k] + 1, report.firstRound() - 1,
                    reportedThrough[k] >= 0 ? "last reported" : "next reported");
            fillThrough(k, report.firstRound() - 1, reportedThrough[k] >= 0 ? lastDeviation[k] : report.deviations());
        }
        int round = report.firstRound();
        for (int offset = 0; offset < values; offset += size) {
            store(k, round++, report.deviations(), offset);
        }
        if (trialEnded) {
            awaitOwedReports();
        }
        return emitCompleteRounds();
    }

    private void store(int clientId, int round, double[] values, int offset) {
        if (deviations[round] == null) {
            deviations[round] = VectorOps.zeros(size, clients);
        }
        for (int s = 0; s < size; s++) {
            deviations[round][s][clientId] = values[offset + s];
            lastDeviation[clientId][s] = values[offset + s];
        }
        coverage[round]++;
        reportedThrough[clientId] = round;
    }

    /** Client k's rounds after its last reported one, through {@code last}, all given {@code values}' first B. */
    private void fillThrough(int clientId, int last, double[] values) {
        while (reportedThrough[clientId] < last) {
            store(clientId, reportedThrough[clientId] + 1, values, 0);
        }
    }

    /** Client k is not part of the trial's federation: the metric is taken over the others. */
    private void markAbsent(int clientId) {
        absent[clientId] = true;
        present--;
        activeClients--;
    }

    private Behavior<MonitorMessage> onRoundReport(RoundReport report) {
        final int round = report.round();
        final int slot = report.slot();
        // reports[round] is gone once the round is emitted: a late or repeated report of it is ignored.
        if (round >= 0 && round <= rounds && slot >= 0 && slot < size && reports[round] != null
                && reports[round][slot] == null) {
            reports[round][slot] = report;
            reportCount[round]++;
            reportNanos[round] = System.nanoTime();
            if (round == 0) {
                rejectedUploads += report.rejected();
            }
        }
        return emitCompleteRounds();
    }

    private Behavior<MonitorMessage> onTrialEnded(TrialEnded ended) {
        for (int k : ended.absentClients()) {
            if (k >= 0 && k < clients && !absent[k] && reportedThrough[k] < 0) {
                markAbsent(k);                                 // never part of this trial's federation
            }
        }
        for (int k : ended.stoppedClients()) {
            if (k >= 0 && k < clients && !absent[k] && reportedThrough[k] < 0) {
                markAbsent(k);                                 // stopped before it ever reported: nothing to keep
                continue;
            }
            if (k >= 0 && k < clients && !absent[k] && reportedThrough[k] < rounds) {
                activeClients--;
                fillThrough(k, rounds, lastDeviation[k]);
            }
        }
        trialEnded = true;
        awaitOwedReports();
        return emitCompleteRounds();
    }

    /** (Re)starts the bound on the wait for the last reports, counted from the latest sign of progress. */
    private void awaitOwedReports() {
        timers.startSingleTimer(ReportsOverdue.INSTANCE, reportGrace);
    }

    private Behavior<MonitorMessage> onReportsOverdue() {
        final StringBuilder filled = new StringBuilder();
        final StringBuilder unheard = new StringBuilder();
        for (int k = 0; k < clients; k++) {
            if (absent[k] || reportedThrough[k] >= rounds) {
                continue;
            }
            if (reportedThrough[k] < 0) {
                markAbsent(k);                                 // never heard: it was not part of the federation
                unheard.append(unheard.length() == 0 ? "" : ", ").append(k);
                continue;
            }
            filled.append(filled.length() == 0 ? "" : ", ").append(k).append(" (rounds ")
                    .append(reportedThrough[k] + 1).append("..").append(rounds).append(')');
            fillThrough(k, rounds, lastDeviation[k]);
        }
        if (filled.length() > 0) {
            getContext().getLog().warn("{}: no deviation report within {} of the trial's end from client(s) {}; their "
                    + "last reported deviations stand for those rounds", Trials.describe(trials), reportGrace, filled);
        }
        if (unheard.length() > 0) {
            getContext().getLog().warn("{}: client(s) {} never reported a deviation; counted as absent from the trial",
                    Trials.describe(trials), unheard);
        }
        return emitCompleteRounds();
    }

    private Behavior<MonitorMessage> emitCompleteRounds() {
        while (nextRound <= rounds && coverage[nextRound] == present && reportCount[nextRound] == size) {
            final double[][] rows = deviations[nextRound] != null ? deviations[nextRound]
                    : VectorOps.zeros(size, clients);
            final double seconds = (reportNanos[nextRound] - reportNanos[0]) / 1e9;
            for (int s = 0; s < size; s++) {
                final RoundReport report = reports[nextRound][s];
                // A polled client that stepped was heard, or its upload was lost on the way.
                final int updates = stepsWhenNotPolled ? activeClients : report.received() + report.lostUplinks();
                // The start-up round has no metrics row of its own: its dropped polls and lost uploads
                // count with round 1's.
                final RoundReport startUp = nextRound == 1 ? reports[0][s] : null;
                final int dropped = report.dropped().length + (startUp != null ? startUp.dropped().length : 0);
                final int startUpLost = startUp != null ? startUp.lostUplinks() : 0;
                outbox.add(new RoundMetrics(trials[s], nextRound, Nmse.of(rows[s], absent, present, optimumSquaredNorm),
                        report.polled(), report.received(), dropped, report.rejected(), updates, seconds, present,
                        report.lostUplinks() + startUpLost, report.lostDownlinks()));
                droppedPolls += dropped;
                rejectedUploads += report.rejected();
                clientUpdates += updates;
            }
            deviations[nextRound] = null;
            reports[nextRound] = null;
            nextRound++;
        }
        return flush();
    }

    private Behavior<MonitorMessage> flush() {
        if (!outbox.flush()) {
            timers.startSingleTimer(Flush.INSTANCE, RETRY);
            return Behaviors.same();
        }
        if (nextRound > rounds) {
            trialDone.tell(new TrialDone(trials, droppedPolls, rejectedUploads, clientUpdates));
            return Behaviors.stopped();
        }
        return Behaviors.same();
    }
}
