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
    private final double[] received;
    private final double[] deviation;
    private final double[] optimum;
    private int round;
    private long clientUpdates;

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
            clients[k] = algorithm.newClient(problem.client(k));
            everyone[k] = k;
        }
        this.server = algorithm.newServer(clientCount, problem.dimension());
        this.upload = new double[problem.dimension()];
        this.received = new double[problem.dimension()];
        this.deviation = new double[clientCount];
        this.optimum = problem.optimum();                  // one array for the whole trial: rules may cache it in their basis
        startUp();
        for (int k = 0; k < clientCount; k++) {
            deviation[k] = clients[k].squaredDeviation(optimum);
        }
    }

    private void startUp() {
        server.beginRound();
        for (int k : algorithm.startUp().participants(everyone, scheduler, schedule)) {
            clients[k].startUpload(upload);
            uplinks[k].deliver(upload, received);
            server.receive(k, received);
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
        server.beginRound();
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
                clients[k].onIdleRound();
                deviation[k] = clients[k].squaredDeviation(optimum);
                clientUpdates++;
            }
        }
    }

    /** Client k receives the broadcast through its downlink, steps, and uploads through its uplink. */
    private void poll(int k, double[] broadcast) {
        downlinks[k].deliver(broadcast, received);
        clients[k].onPoll(received, upload);
        uplinks[k].deliver(upload, received);
        server.receive(k, received);
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
}
