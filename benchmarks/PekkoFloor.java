import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What a federation's set-up costs on Pekko Typed alone, with no Fedlink code: one parent spawns N bare
 * actors, sends each M messages that it answers, and finally stops them all. `fedlink scale`'s set-up
 * (per client: spawning its actor, its registration, the start-up poll and answer, its reports) cannot
 * run faster than this on the same machine; docs/performance.md compares the two.
 *
 * <pre>
 *   java -Xmx16g -cp examples/target/fedlink.jar benchmarks/PekkoFloor.java N M RUNS [INTERCEPTORS] [watch]
 * </pre>
 *
 * INTERCEPTORS (default 0) wraps each actor in that many pass-through {@link BehaviorInterceptor}s, as a
 * client sits behind its failure reporter and its noisy mailbox; {@code watch} has the parent death-watch
 * each actor. Prints, per run, the seconds to spawn, to deliver and answer the messages, and to stop.
 */
public final class PekkoFloor {

    private record Ping(ActorRef<Integer> replyTo) {
    }

    private static final class PassThrough extends BehaviorInterceptor<Ping, Ping> {
        PassThrough() {
            super(Ping.class);
        }

        @Override
        public Behavior<Ping> aroundReceive(TypedActorContext<Ping> ctx, Ping msg, ReceiveTarget<Ping> target) {
            return target.apply(ctx, msg);
        }
    }

    private static Behavior<Ping> actor(int interceptors) {
        Behavior<Ping> behavior = Behaviors.receiveMessage(ping -> {
            ping.replyTo().tell(1);
            return Behaviors.same();
        });
        for (int i = 0; i < interceptors; i++) {
            behavior = Behaviors.intercept(PassThrough::new, behavior);
        }
        return behavior;
    }

    /** args[index] as a whole number >= 0 (>= 1 for N, MESSAGES and RUNS), or {@code absent} if not given. */
    private static int count(String[] args, int index, int absent) {
        if (index >= args.length) {
            if (absent < 0) {
                usage("missing argument " + (index + 1));
            }
            return absent;
        }
        try {
            final int value = Integer.parseInt(args[index]);
            if (value >= (absent < 0 ? 1 : 0)) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        usage("argument " + (index + 1) + " is " + args[index] + "; expected a whole number"
                + (absent < 0 ? " >= 1" : " >= 0"));
        return absent;
    }

    private static void usage(String problem) {
        System.err.println("PekkoFloor: " + problem);
        System.err.println("usage: PekkoFloor N MESSAGES RUNS [INTERCEPTORS] [watch]");
        System.exit(2);
    }

    public static void main(String[] args) throws Exception {
        final int n = count(args, 0, -1);
        final int messages = count(args, 1, -1);
        final int runs = count(args, 2, -1);
        final int interceptors = count(args, 3, 0);
        if (args.length > 5 || args.length == 5 && !args[4].equals("watch")) {
            usage("expected at most five arguments, the fifth \"watch\"");
        }
        final boolean watch = args.length == 5;
        for (int run = 1; run <= runs; run++) {
            final CompletableFuture<double[]> timed = new CompletableFuture<>();
            final ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
                final long start = System.nanoTime();
                @SuppressWarnings("unchecked")
                final ActorRef<Ping>[] actors = new ActorRef[n];
                for (int k = 0; k < n; k++) {
                    actors[k] = ctx.spawn(actor(interceptors), "client-" + k);
                    if (watch) {
                        ctx.watch(actors[k]);
                    }
                }
                final long spawned = System.nanoTime();
                final int[] outstanding = {n * messages};
                final ActorRef<Integer> answers = ctx.spawn(Behaviors.<Integer>receiveMessage(answer -> {
                    if (--outstanding[0] == 0) {
                        timed.complete(new double[] {(spawned - start) / 1e9, (System.nanoTime() - spawned) / 1e9});
                    }
                    return Behaviors.same();
                }), "answers");
                for (int m = 0; m < messages; m++) {
                    for (ActorRef<Ping> actor : actors) {
                        actor.tell(new Ping(answers));
                    }
                }
                return Behaviors.empty();
            }), "floor");
            final double[] seconds = timed.get(30, TimeUnit.MINUTES);
            final long stopping = System.nanoTime();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.MINUTES);
            System.out.printf("run %d: %d actors, %d interceptor(s) each%s: spawn %.2f s, %d messages each %.2f s, "
                            + "stop %.2f s%n", run, n, interceptors, watch ? ", watched" : "", seconds[0], messages,
                    seconds[1], (System.nanoTime() - stopping) / 1e9);
        }
    }
}
