package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One trial's federation in one JVM, as a subtree of actors: its {@link ServerSide} (monitor, server
 * behind its uplinks, scheduler) and K clients, each behind its downlink, all built from the same
 * pure rules and the same random streams as the reference engine. It watches every child: the trial
 * stops, and with it the subtree, once the monitor has delivered the last round, and fails with a
 * {@link TrialFailure} as soon as any of its actors fails.
 */
public final class TrialActor {

    private TrialActor() {
    }

    /** @param replyTo told when the trial is complete */
    public static Behavior<TrialDone> create(ServerSide.Setup setup, ActorRef<TrialLauncher.TrialOutcome> replyTo) {
        return create(setup, replyTo, setup.series()::newClient);
    }

    /** @param newClient makes client k's rule from its constants (the algorithm's own, or a test's) */
    static Behavior<TrialDone> create(ServerSide.Setup setup, ActorRef<TrialLauncher.TrialOutcome> replyTo,
                                      Function<ClientConstants, ClientRule> newClient) {
        return create(setup, replyTo, newClient, side -> { });
    }

    /** @param spawned told of the server side once it exists (a test's hostile peer takes its references) */
    static Behavior<TrialDone> create(ServerSide.Setup setup, ActorRef<TrialLauncher.TrialOutcome> replyTo,
                                      Function<ClientConstants, ClientRule> newClient, Consumer<ServerSide> spawned) {
        return Behaviors.setup(ctx -> {
            final ServerSide side = ServerSide.spawn(ctx, setup, replyTo);
            spawned.accept(side);
            final FederatedProblem problem = setup.problem();
            final FederatedAlgorithm algorithm = setup.series().algorithm();
            final double[] optimum = problem.optimum();             // one read-only copy for the trial's clients
            final int uploadLength = setup.series().uploadLength(problem.dimension());
            final int broadcastLength = setup.series().broadcastLength(problem.dimension());
            for (int k = 0; k < problem.clientCount(); k++) {
                final int clientId = k;
                final Behavior<ClientMessage> client;
                if (setup.mode() instanceof FederationMode.FreeRunning freeRunning) {
                    client = FreeRunningClientActor.create(newClient.apply(problem.client(k)), optimum,
                            side.monitor(), algorithm.stepsWhenNotPolled(),
                            freeRunning.clientPeriod(side.wiring().clientClock(k).nextDouble()), uploadLength,
                            broadcastLength);
                } else {
                    client = ClientActor.create(newClient.apply(problem.client(k)), optimum,
                            side.monitor().narrow(), algorithm.stepsWhenNotPolled(), uploadLength, broadcastLength);
                }
                final ActorRef<ClientMessage> ref = ctx.spawn(FailureReporter.reporting(ClientMessage.class,
                        setup.trial(), replyTo, NoisyMailbox.downlink(ClientMessage.class, broadcastLength,
                                () -> side.wiring().downlink(clientId), client)), "client-" + k);
                ctx.watch(ref);
                side.scheduler().tell(new RegisterClient(k, ref));
            }
            return TrialGuardian.watching(ctx, setup.trial(), side.essential(), side.roundStateWriter(), replyTo,
                    () -> { });
        });
    }
}
