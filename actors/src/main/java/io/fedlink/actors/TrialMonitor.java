package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
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
 * A trial's monitor: turns the clients' deviation reports and the server's round reports into one
 * {@link RoundMetrics} per round, in round order, as soon as every client has reported that round.
 * NMSE_n sums ||w_k - w*||^2 over clients in id order, exactly as the reference engine does.
 *
 * <p>A client that stopped keeps its last reported deviation for the rounds it missed (its model is
 * gone; the last known one stands). When the outlet is full the monitor holds its measurements and
 * tries again shortly: nothing is dropped. When the outlet is closed or has failed, the monitor fails,
 * and with it the trial: its rounds could not be delivered.
 */
public final class TrialMonitor extends AbstractBehavior<MonitorMessage> {

    private enum Flush implements MonitorMessage.Local {
        INSTANCE
    }

    private static final Duration RETRY = Duration.ofMillis(5);

    private final int trial;
    private final int clients;
    private final int rounds;
    private final double optimumSquaredNorm;
    private final boolean[] absent;
    private int present;
    private final boolean stepsWhenNotPolled;
    private final ActorRef<TrialDone> trialDone;
    private final TimerScheduler<MonitorMessage> timers;

    private final double[][] deviations;       // [round][client], rows freed once emitted
    private final int[] coverage;              // clients that have reported each round
    private final int[] reportedThrough;
    private final double[] lastDeviation;
    private final RoundReport[] reports;
    private final MetricsOutbox outbox;
    private final long[] reportNanos;
    private int nextRound = 1;
    private int droppedPolls;
    private int rejectedUploads;
    private long clientUpdates;
    private int activeClients;

    private TrialMonitor(ActorContext<MonitorMessage> context, TimerScheduler<MonitorMessage> timers, int trial,
                         int clients, int rounds, double optimumSquaredNorm, boolean stepsWhenNotPolled,
                         MetricsOutlet outlet, ActorRef<TrialDone> trialDone) {
        super(context);
        this.timers = timers;
        this.trial = trial;
        this.clients = clients;
        this.rounds = rounds;
        this.optimumSquaredNorm = optimumSquaredNorm;
        this.absent = new boolean[clients];
        this.present = clients;
        this.stepsWhenNotPolled = stepsWhenNotPolled;
        this.outbox = new MetricsOutbox(outlet);
        this.trialDone = trialDone;
        this.reportNanos = new long[rounds + 1];
        this.deviations = new double[rounds + 1][];
        this.coverage = new int[rounds + 1];
        this.reportedThrough = new int[clients];
        Arrays.fill(reportedThrough, -1);
        this.lastDeviation = new double[clients];
        Arrays.fill(lastDeviation, Double.NaN);
        this.reports = new RoundReport[rounds + 1];
        this.activeClients = clients;
    }

    /**
     * @param clients            K
     * @param rounds             T
     * @param optimumSquaredNorm ||w*||^2
     * @param stepsWhenNotPolled whether every client steps every round (for the update count)
     * @param outlet             the metrics stream's entry
     * @param trialDone          told once every round has been delivered
     */
    public static Behavior<MonitorMessage> create(int trial, int clients, int rounds, double optimumSquaredNorm,
                                                  boolean stepsWhenNotPolled, MetricsOutlet outlet,
                                                  ActorRef<TrialDone> trialDone) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new TrialMonitor(ctx, timers, trial, clients,
                rounds, optimumSquaredNorm, stepsWhenNotPolled, outlet, trialDone)));
    }

    @Override
    public Receive<MonitorMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(DeviationReport.class, this::onDeviationReport)
                .onMessage(RoundReport.class, this::onRoundReport)
                .onMessage(TrialEnded.class, this::onTrialEnded)
                .onMessageEquals(Flush.INSTANCE, this::flush)
                .build();
    }

    private Behavior<MonitorMessage> onDeviationReport(DeviationReport report) {
        final int k = report.clientId();
        if (k >= 0 && k < clients && report.firstRound() == 0 && reportedThrough[k] >= 0) {
            // A second actor for client k (a node that re-joined) announcing itself; the scheduler
            // keeps the first, so this one's reports do not belong to the trial.
            getContext().getLog().debug("trial {}: client {} announced again; ignored", trial, k);
            return this;
        }
        if (k < 0 || k >= clients || report.firstRound() != reportedThrough[k] + 1
                || report.firstRound() + report.deviations().length - 1 > rounds) {
            getContext().getLog().warn("trial {}: deviation report from client {} for rounds {}+{} does not follow "
                    + "round {}; ignored", trial, k, report.firstRound(), report.deviations().length,
                    k >= 0 && k < clients ? reportedThrough[k] : -1);
            return this;
        }
        int round = report.firstRound();
        for (double d : report.deviations()) {
            store(k, round++, d);
        }
        return emitCompleteRounds();
    }

    private void store(int clientId, int round, double deviation) {
        if (deviations[round] == null) {
            deviations[round] = new double[clients];
        }
        deviations[round][clientId] = deviation;
        coverage[round]++;
        reportedThrough[clientId] = round;
        lastDeviation[clientId] = deviation;
    }

    private Behavior<MonitorMessage> onRoundReport(RoundReport report) {
        if (report.round() >= 0 && report.round() <= rounds) {
            reports[report.round()] = report;
            reportNanos[report.round()] = System.nanoTime();
            if (report.round() == 0) {
                rejectedUploads += report.rejected();
            }
        }
        return emitCompleteRounds();
    }

    private Behavior<MonitorMessage> onTrialEnded(TrialEnded ended) {
        for (int k : ended.absentClients()) {
            if (k >= 0 && k < clients && !absent[k] && reportedThrough[k] < 0) {
                absent[k] = true;                              // never part of this trial's federation
                present--;
                activeClients--;
            }
        }
        for (int k : ended.stoppedClients()) {
            if (k >= 0 && k < clients && !absent[k] && reportedThrough[k] < 0) {
                absent[k] = true;                              // stopped before it ever reported: nothing to keep
                present--;
                activeClients--;
                continue;
            }
            if (k >= 0 && k < clients && !absent[k] && reportedThrough[k] < rounds) {
                activeClients--;
                for (int round = reportedThrough[k] + 1; round <= rounds; round++) {
                    store(k, round, lastDeviation[k]);
                }
            }
        }
        return emitCompleteRounds();
    }

    private Behavior<MonitorMessage> emitCompleteRounds() {
        while (nextRound <= rounds && coverage[nextRound] == present && reports[nextRound] != null) {
            final double[] row = deviations[nextRound] != null ? deviations[nextRound] : new double[clients];
            final RoundReport report = reports[nextRound];
            // A polled client that stepped was heard, or its upload was lost on the way.
            final int updates = stepsWhenNotPolled ? activeClients : report.received() + report.lostUplinks();
            // The start-up round has no metrics row of its own: its dropped polls and lost uploads
            // count with round 1's.
            final RoundReport startUp = nextRound == 1 ? reports[0] : null;
            final int dropped = report.dropped().length + (startUp != null ? startUp.dropped().length : 0);
            final int startUpLost = startUp != null ? startUp.lostUplinks() : 0;
            outbox.add(new RoundMetrics(trial, nextRound, Nmse.of(row, absent, present, optimumSquaredNorm),
                    report.polled(), report.received(),
                    dropped, report.rejected(), updates,
                    (reportNanos[nextRound] - reportNanos[0]) / 1e9, present, report.lostUplinks() + startUpLost,
                    report.lostDownlinks()));
            droppedPolls += dropped;
            rejectedUploads += report.rejected();
            clientUpdates += updates;
            deviations[nextRound] = null;
            nextRound++;
        }
        return flush();
    }

    private Behavior<MonitorMessage> flush() {
        if (!outbox.flush()) {
            timers.startSingleTimer(Flush.INSTANCE, RETRY);
            return this;
        }
        if (nextRound > rounds) {
            trialDone.tell(new TrialDone(trial, droppedPolls, rejectedUploads, clientUpdates));
            return Behaviors.stopped();
        }
        return this;
    }
}
