package io.fedlink.cli;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.testkit.RouteTest;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.apache.pekko.stream.Materializer;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko HTTP's route testkit for JUnit 5: its own {@code JUnitRouteTest} is a JUnit 4 rule (and JUnit 4
 * is not on this class path), so this base gives {@link RouteTest} an actor system and JUnit 5's
 * assertions. A subclass starts the system with {@link #startSystem} and stops it with {@link #stopSystem}.
 */
abstract class JUnit5RouteTest extends RouteTest {

    private ActorSystem system;
    private Materializer materializer;

    void startSystem(String name) {
        system = ActorSystem.create(name);
        materializer = Materializer.matFromSystem(system);
    }

    void stopSystem() {
        if (system != null) {
            system.terminate();
        }
    }

    @Override
    public ActorSystem system() {
        return system;
    }

    @Override
    public Materializer materializer() {
        return materializer;
    }

    /** A generous liveness bound for a response (an /events stream lasts as long as its run). */
    @Override
    public FiniteDuration awaitDuration() {
        return FiniteDuration.apply(120, TimeUnit.SECONDS);
    }

    @Override
    public TestRouteResult createTestRouteResultAsync(HttpRequest request, Future<RouteResult> result) {
        return new TestRouteResult(result, awaitDuration(), system.dispatcher(), materializer) {
            @Override
            public void fail(String message) {
                org.junit.jupiter.api.Assertions.fail(message);
            }

            @Override
            public void assertEquals(Object expected, Object actual, String message) {
                org.junit.jupiter.api.Assertions.assertEquals(expected, actual, message);
            }

            @Override
            public void assertEquals(int expected, int actual, String message) {
                org.junit.jupiter.api.Assertions.assertEquals(expected, actual, message);
            }

            @Override
            public void assertTrue(boolean predicate, String message) {
                org.junit.jupiter.api.Assertions.assertTrue(predicate, message);
            }
        };
    }
}
