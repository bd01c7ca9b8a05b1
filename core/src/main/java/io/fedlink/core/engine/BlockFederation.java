package io.fedlink.core.engine;

import io.fedlink.core.algorithm.ClientBlock;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.link.Link;
import io.fedlink.core.metric.Nmse;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.schedule.Scheduler;

/**
 * A block of trials of one series, simulated together round by round exactly by the rules of SPEC
 * section 4: the state the reference engine advances. Each trial (slot) is the federation
 * {@link ReferenceFederation} simulates alone, with its own scheduling stream, links and server; what
 * the block shares is each client's {@link ClientBlock}, which does a round's work for all the trials
 * that polled the client at once (one batched product with P_k instead of one product per poll).
 *
 * <p>Trials are independent and every stream is keyed by (seed, trial, purpose, client) and consumed
 * by its one owner in order, so running them side by side changes nothing: each trial's curve is
 * bit for bit what it is alone. In each round:
 * <ol>
 *   <li>each trial's scheduler draws its S_n from that trial's scheduling stream;</li>
 *   <li>for k = 0..K-1 in order: client k's downlink of each trial that polled it delivers that trial's
 *       broadcast (a lost one is as not polled); the client block steps every trial (polled or idle)
 *       at once; each polled trial's upload crosses k's uplink of that trial and reaches that trial's
 *       server, in client-id order per trial;</li>
 *   <li>each trial's server aggregates and forms its next broadcast.</li>
 * </ol>
 */
public final class BlockFederation {

    private final FederatedProblem problem;
    private final boolean idleSteps;
    private final Scheduler scheduler;
    private final int[] trials;
    private final RandomStream[] schedules;
    private final Link[][] downlinks;              // [slot][k]
    private final Link[][] uplinks;               // [slot][k]
    private final ClientBlock[] clients;
    private final ServerRule[] servers;
    private final int[] everyone;
    private final double[][] deviation;           // [slot][k]
    private final double[] optimum;
    private final int[][] polled;                 // this round's S_n, per slot
    private final int[] cursor;
    private final int[] delivered;                // slots that delivered a poll to the client in hand
    private final double[][] received;
    private final double[][] uploads;
    private final double[] receivedUpload;
    private final double[][] broadcasts;
    private final long[] clientUpdates;
    private final long[] lostUplinks;
    private final long[] lostDownlinks;
    private int round;

    /**
     * Builds the federations of {@code trials} (ascending, distinct) and runs their start-up round 0.
     */
    public BlockFederation(Experiment experiment, FederatedProblem problem, SeriesSpec series, int[] trials) {
        if (trials.length == 0) {
            throw new IllegalArgumentException("a block needs at least one trial");
        }
        final int clientCount = problem.clientCount();
        final int size = trials.length;
        final FederatedAlgorithm algorithm = series.algorithm();
        this.problem = problem;
        this.idleSteps = algorithm.stepsWhenNotPolled();
        this.scheduler = experiment.scheduler(series);
        this.trials = trials.clone();
        this.schedules = new RandomStream[size];
        this.downlinks = new Link[size][clientCount];
        this.uplinks = new Link[size][clientCount];
        this.servers = new ServerRule[size];
        final io.fedlink.core.link.LinkNoise links = TrialWiring.links(experiment, series);
        for (int s = 0; s < size; s++) {
            if (s > 0 && trials[s] <= trials[s - 1]) {
                throw new IllegalArgumentException("a block's trials must ascend: " + java.util.Arrays.toString(trials));
            }
            final TrialWiring wiring = new TrialWiring(experiment.seed(), trials[s], links);
            schedules[s] = wiring.schedule();
            for (int k = 0; k < clientCount; k++) {
                downlinks[s][k] = wiring.downlink(k);
                uplinks[s][k] = wiring.uplink(k);
            }
            servers[s] = series.newServer(problem);
        }
        this.clients = new ClientBlock[clientCount];
        this.everyone = new int[clientCount];
        for (int k = 0; k < clientCount; k++) {
            clients[k] = series.newClientBlock(problem.client(k), size);
            everyone[k] = k;
        }
        final int uploadLength = series.uploadLength(problem.dimension());
        final int broadcastLength = series.broadcastLength(problem.dimension());
        this.deviation = new double[size][clientCount];
        this.optimum = problem.optimum();                 // one array for the block: rules may cache it in their basis
        this.polled = new int[size][];
        this.cursor = new int[size];
        this.delivered = new int[size];
        this.received = new double[size][broadcastLength];
        this.uploads = new double[size][uploadLength];
        this.receivedUpload = new double[uploadLength];
        this.broadcasts = new double[size][];
        this.clientUpdates = new long[size];
        this.lostUplinks = new long[size];
        this.lostDownlinks = new long[size];
        startUp(algorithm);
        for (int s = 0; s < size; s++) {
            for (int k = 0; k < clientCount; k++) {
                deviation[s][k] = clients[k].squaredDeviation(s, optimum);
            }
        }
    }

    private void startUp(FederatedAlgorithm algorithm) {
        final double[] upload = uploads[0];
        for (int s = 0; s < trials.length; s++) {
            final int[] starters = algorithm.startUp().participants(everyone, scheduler, schedules[s]);
            servers[s].beginRound(starters.length);
            for (int k : starters) {
                clients[k].startUpload(s, upload);          // a start-up request carries no model: it always arrives
                upload(s, k, upload);
            }
            servers[s].closeRound();
        }
    }

    /** Runs the next round in every trial of the block. */
    public void runRound() {
        round++;
        final int size = trials.length;
        for (int s = 0; s < size; s++) {
            polled[s] = scheduler.select(everyone, schedules[s]);
            broadcasts[s] = servers[s].broadcast();           // changes only in closeRound()
            servers[s].beginRound(polled[s].length);
            cursor[s] = 0;
        }
        for (int k = 0; k < clients.length; k++) {
            int count = 0;
            for (int s = 0; s < size; s++) {
                final int[] p = polled[s];
                if (cursor[s] < p.length && p[cursor[s]] == k) {
                    cursor[s]++;
                    // A poll the downlink lost reaches the client as "not polled this round".
                    if (downlinks[s][k].deliver(broadcasts[s], received[count])) {
                        delivered[count++] = s;
                    } else {
                        lostDownlinks[s]++;
                    }
                }
            }
            if (count == 0 && !idleSteps) {
                continue;                                     // nothing polled it, and idle rounds change nothing
            }
            final ClientBlock client = clients[k];
            client.round(delivered, count, received, uploads, idleSteps);
            for (int i = 0; i < count; i++) {
                final int s = delivered[i];
                upload(s, k, uploads[i]);
            }
            if (idleSteps) {
                for (int s = 0; s < size; s++) {
                    deviation[s][k] = client.squaredDeviation(s, optimum);
                    clientUpdates[s]++;
                }
            } else {
                for (int i = 0; i < count; i++) {
                    final int s = delivered[i];
                    deviation[s][k] = client.squaredDeviation(s, optimum);
                    clientUpdates[s]++;
                }
            }
        }
        for (int s = 0; s < size; s++) {
            servers[s].closeRound();
        }
    }

    /** Client k's upload in slot s crosses its uplink; the server receives it unless the uplink lost it. */
    private void upload(int s, int k, double[] upload) {
        if (uplinks[s][k].deliver(upload, receivedUpload)) {
            servers[s].receive(k, receivedUpload);
        } else {
            lostUplinks[s]++;
        }
    }

    /** NMSE of trial {@code trials[slot]} after the last round (eq. 35). */
    public double nmse(int slot) {
        return Nmse.of(deviation[slot], null, deviation[slot].length, problem.optimumSquaredNorm());
    }

    /** The block's trials, by slot. */
    public int[] trials() {
        return trials.clone();
    }

    /** B. */
    public int size() {
        return trials.length;
    }

    /** Rounds run so far (0 after start-up). */
    public int round() {
        return round;
    }

    /** Local client steps taken so far in slot s. */
    public long clientUpdates(int slot) {
        return clientUpdates[slot];
    }

    /** Uploads (start-up included) the uplinks of slot s lost so far. */
    public long lostUplinks(int slot) {
        return lostUplinks[slot];
    }

    /** Polls the downlinks of slot s lost so far. */
    public long lostDownlinks(int slot) {
        return lostDownlinks[slot];
    }

    /** Client k's local model in slot s, a copy. */
    public double[] clientModel(int slot, int clientId) {
        return clients[clientId].model(slot).clone();
    }

    /** The global model of slot s's server, a copy. */
    public double[] globalModel(int slot) {
        return servers[slot].globalModel().clone();
    }

    /** The broadcast of slot s's server, a copy. */
    public double[] broadcast(int slot) {
        return servers[slot].broadcast().clone();
    }
}
