package io.fedlink.core.engine;

import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.link.Link;
import io.fedlink.core.metric.Nmse;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.schedule.Scheduler;

/**
 * One trial of one series, simulated sequentially and exactly by the rules of SPEC section 4: the
 * state the reference engine advances round by round.
 *
 * <p>Round 0 (the constructor) is the start-up: the clients the algorithm names upload their start
 * vectors. Each later round:
 * <ol>
 *   <li>the scheduler draws S_n from the trial's scheduling stream;</li>
 *   <li>for k = 0..K-1 in order: a polled client receives the broadcast through its downlink (its
 *       own downlink-noise stream), steps, and its upload reaches the server through its uplink
 *       (its own uplink-noise stream); an unpolled client takes its idle-round step;</li>
 *   <li>the server aggregates the uploads in client-id order and forms the next broadcast.</li>
 * </ol>
 * Every stream is keyed by (seed, trial, purpose, client id), so the actor runtime, driving the same
 * rules with the same streams, reproduces these numbers bit for bit.
 */
public final class ReferenceFederation {

    private final FederatedProblem problem;
    private final FederatedAlgorithm algorithm;
    private final Scheduler scheduler;
    private final RandomStream schedule;
    private final Link[] downlinks;
    private final Link[] uplinks;
    private final ClientRule[] clients;
    private final ServerRule server;
    private final int[] everyone;
    private final double[] upload;
    private final double[] receivedUpload;
    private final double[] receivedBroadcast;
    private final double[] deviation;
    private final double[] optimum;
    private int round;
    private long clientUpdates;
    private long lostUplinks;
    private long lostDownlinks;

    /** Builds the federation of trial {@code trial} and runs its start-up round 0. */
    public ReferenceFederation(Experiment experiment, FederatedProblem problem, SeriesSpec series, int trial) {
        final int clientCount = problem.clientCount();
        this.problem = problem;
        this.algorithm = series.algorithm();
        this.scheduler = experiment.scheduler(series);
        final TrialWiring wiring = TrialWiring.of(experiment, series, trial);
        this.schedule = wiring.schedule();
        this.downlinks = new Link[clientCount];
        this.uplinks = new Link[clientCount];
        this.clients = new ClientRule[clientCount];
        this.everyone = new int[clientCount];
        for (int k = 0; k < clientCount; k++) {
            downlinks[k] = wiring.downlink(k);
            uplinks[k] = wiring.uplink(k);
            clients[k] = series.newClient(problem.client(k));
            everyone[k] = k;
        }
        this.server = series.newServer(problem);
        // What crosses the links may be longer than the model (an upload that carries a control variate).
        this.upload = new double[series.uploadLength(problem.dimension())];
        this.receivedUpload = new double[upload.length];
        this.receivedBroadcast = new double[series.broadcastLength(problem.dimension())];
        this.deviation = new double[clientCount];
        this.optimum = problem.optimum();                  // one array for the whole trial: rules may cache it in their basis
        startUp();
        for (int k = 0; k < clientCount; k++) {
            deviation[k] = clients[k].squaredDeviation(optimum);
        }
    }

    private void startUp() {
        final int[] starters = algorithm.startUp().participants(everyone, scheduler, schedule);
        server.beginRound(starters.length);
        for (int k : starters) {
            clients[k].startUpload(upload);             // a start-up request carries no model: it always arrives
            upload(k);
        }
        server.closeRound();
    }

    /**
     * Runs the next round.
     *
     * @return the ids polled in it, ascending
     */
    public int[] runRound() {
        round++;
        final int[] polled = scheduler.select(everyone, schedule);
        final double[] broadcast = server.broadcast();      // changes only in closeRound()
        server.beginRound(polled.length);
        // Two loops, not one with a branch per client: each keeps its own JIT profile, so a JVM
        // that runs `rerce` and then `rerce-continual` does not run the second on code compiled
        // for the first, deoptimised and recompiled mid-series (measured: 0.6 s of paper-fig4's 5).
        if (algorithm.stepsWhenNotPolled()) {
            stepEveryClient(polled, broadcast);
        } else {
            stepPolledClients(polled, broadcast);
        }
        server.closeRound();
        return polled;
    }

    /** Only the polled clients step, in id order (the others keep w_k). */
    private void stepPolledClients(int[] polled, double[] broadcast) {
        for (int k : polled) {
            poll(k, broadcast);
        }
    }

    /** Every client steps, in id order: the polled ones on the broadcast, the others locally. */
    private void stepEveryClient(int[] polled, double[] broadcast) {
        int next = 0;
        for (int k = 0; k < clients.length; k++) {
            if (next < polled.length && polled[next] == k) {
                next++;
                poll(k, broadcast);
            } else {
                idle(k);
            }
        }
    }

    /**
     * Client k receives the broadcast through its downlink, steps, and uploads through its uplink. A
     * poll the downlink lost reaches the client as "not polled this round" (a continual client takes its
     * idle step; nothing is uploaded); an upload the uplink lost is not received.
     */
    private void poll(int k, double[] broadcast) {
        if (!downlinks[k].deliver(broadcast, receivedBroadcast)) {
            lostDownlinks++;
            if (algorithm.stepsWhenNotPolled()) {
                idle(k);
            }
            return;
        }
        clients[k].onPoll(receivedBroadcast, upload);
        upload(k);
        deviation[k] = clients[k].squaredDeviation(optimum);
        clientUpdates++;
    }

    /** Client k's upload crosses its uplink; the server receives it unless the uplink lost it. */
    private void upload(int k) {
        if (uplinks[k].deliver(upload, receivedUpload)) {
            server.receive(k, receivedUpload);
        } else {
            lostUplinks++;
        }
    }

    /** A round in which client k was not polled: its local step, where the algorithm takes one. */
    private void idle(int k) {
        clients[k].onIdleRound();
        deviation[k] = clients[k].squaredDeviation(optimum);
        clientUpdates++;
    }

    /** NMSE after the last round (eq. 35): mean over clients of ||w_k - w*||^2, over ||w*||^2. */
    public double nmse() {
        return Nmse.of(deviation, null, deviation.length, problem.optimumSquaredNorm());
    }

    /** Rounds run so far (0 after start-up). */
    public int round() {
        return round;
    }

    /** Uploads (start-up included) the uplinks lost so far. */
    public long lostUplinks() {
        return lostUplinks;
    }

    /** Polls the downlinks lost so far. */
    public long lostDownlinks() {
        return lostDownlinks;
    }

    /** Local client steps taken so far. */
    public long clientUpdates() {
        return clientUpdates;
    }

    /** Client k's local model w_k, a copy. */
    public double[] clientModel(int clientId) {
        return clients[clientId].model().clone();
    }

    /** The server's global model, a copy. */
    public double[] globalModel() {
        return server.globalModel().clone();
    }

    /** The server's broadcast, a copy. */
    public double[] broadcast() {
        return server.broadcast().clone();
    }

    /** The server's {@link ServerRule#checkpointState() hidden state}. */
    public double[] serverCheckpointState() {
        return server.checkpointState();
    }
}
