package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
import io.fedlink.core.algorithm.ClientBlock;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.protocol.ClientMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One federation in one JVM, simulating a block of trials of one series, as a subtree of actors: its
 * {@link ServerSide} (monitor, server behind its uplinks, scheduler) and K clients, one actor per client,
 * each holding its state in every trial of the block and sitting behind its downlinks (one per trial), all
 * built from the same pure rules and the same random streams as the reference engine. It watches the
 * server side: the federation stops, and with it the subtree, once the monitor has delivered the last
 * round, and fails with a {@link TrialFailure} as soon as any of its actors fails (a client's failure is
 * reported by its {@link FailureReporter}, and its clients stop only with the trial: they are registered
 * with the scheduler in one {@link SchedulerActor.LocalClients}, unwatched).
 */
public final class TrialActor {

    private TrialActor() {
    }

    /** @param replyTo told when every trial of the block is complete */
    public static Behavior<TrialDone> create(ServerSide.Setup setup, ActorRef<TrialLauncher.TrialOutcome> replyTo) {
        return createBlocks(setup, replyTo, (constants, trials) -> setup.series().newClientBlock(constants, trials),
                side -> { });
    }

    /** @param newClient makes client k's rule in one trial (the algorithm's own, or a test's) */
    static Behavior<TrialDone> create(ServerSide.Setup setup, ActorRef<TrialLauncher.TrialOutcome> replyTo,
                                      Function<ClientConstants, ClientRule> newClient) {
        return create(setup, replyTo, newClient, side -> { });
    }

    /** @param spawned told of the server side once it exists (a test's hostile peer takes its references) */
    static Behavior<TrialDone> create(ServerSide.Setup setup, ActorRef<TrialLauncher.TrialOutcome> replyTo,
                                      Function<ClientConstants, ClientRule> newClient, Consumer<ServerSide> spawned) {
        return createBlocks(setup, replyTo, (constants, trials) -> {
            final ClientRule[] rules = new ClientRule[trials];
            for (int t = 0; t < trials; t++) {
                rules[t] = newClient.apply(constants);
            }
            return ClientBlock.ofRules(rules);
        }, spawned);
    }

    private static Behavior<TrialDone> createBlocks(ServerSide.Setup setup, ActorRef<TrialLauncher.TrialOutcome> replyTo,
                                                    BiFunction<ClientConstants, Integer, ClientBlock> newBlock,
                                                    Consumer<ServerSide> spawned) {
        return Behaviors.setup(ctx -> {
            final ServerSide side = ServerSide.spawn(ctx, setup, replyTo);
            spawned.accept(side);
            final FederatedProblem problem = setup.problem();
            final FederatedAlgorithm algorithm = setup.series().algorithm();
            final double[] optimum = problem.optimum();             // one read-only copy for the trial's clients
            final int uploadLength = setup.series().uploadLength(problem.dimension());
            final int broadcastLength = setup.series().broadcastLength(problem.dimension());
            final int[] trials = setup.trials();
            final List<ActorRef<ClientMessage>> clients = new ArrayList<>(problem.clientCount());
            for (int k = 0; k < problem.clientCount(); k++) {
                final int clientId = k;
                final Behavior<ClientMessage> client;
                if (setup.mode() instanceof FederationMode.FreeRunning freeRunning) {
                    final ClientBlock one = newBlock.apply(problem.client(k), 1);
                    client = FreeRunningClientActor.create(one, optimum, side.monitor(), algorithm.stepsWhenNotPolled(),
                            freeRunning.clientPeriod(side.wiring().clientClock(k).nextDouble()), uploadLength,
                            broadcastLength);
                } else {
                    client = ClientActor.create(newBlock.apply(problem.client(k), trials.length), optimum,
                            side.monitor().narrow(), algorithm.stepsWhenNotPolled(), uploadLength, broadcastLength);
                }
                final ActorRef<ClientMessage> ref = ctx.spawn(FailureReporter.reporting(ClientMessage.class,
                        trials, replyTo, NoisyMailbox.downlinks(ClientMessage.class, broadcastLength, trials.length,
                                slot -> side.wirings()[slot].downlink(clientId), client)), "client-" + k);
                clients.add(ref);
            }
            side.scheduler().tell(new SchedulerActor.LocalClients(clients));
            return TrialGuardian.watching(ctx, trials, side.essential(), side.roundStateWriter(), replyTo,
                    () -> { });
        });
    }
}
