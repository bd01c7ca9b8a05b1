package io.fedlink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Reachability;
import org.apache.pekko.cluster.UniqueAddress;
import org.junit.jupiter.api.Test;

/**
 * The downing decisions, on times the test passes (nanoseconds; stable-after is 2 000 here), and the
 * server's view of who is in trouble, from Pekko's own reachability records.
 */
class DowningDeciderTest {

    private static final long STABLE = 2_000;

    @Test
    void theServerDownsANodeThatStaysUnreachableForStableAfterOnce() {
        final DowningDecider<String> server = new DowningDecider<>("server", STABLE);
        assertEquals(Set.of(), server.decide("server", Set.of("a"), false, 10_000));
        assertEquals(Set.of(), server.decide("server", Set.of("a"), false, 11_999), "1 999 ns in trouble");
        assertEquals(Set.of("a"), server.decide("server", Set.of("a"), false, 12_000), "2 000 ns in trouble");
        assertEquals(Set.of(), server.decide("server", Set.of("a"), false, 20_000), "downed once");
    }

    @Test
    void aNodeBackBeforeStableAfterIsKeptAndItsWaitStartsAgain() {
        final DowningDecider<String> server = new DowningDecider<>("server", STABLE);
        server.decide("server", Set.of("a", "b"), false, 0);
        assertEquals(Set.of(), server.decide("server", Set.of("b"), false, 1_500), "a reachable again");
        assertEquals(Set.of("b"), server.decide("server", Set.of("a", "b"), false, 2_000), "a in trouble anew");
        assertEquals(2_000L, server.troubledSince("a"), "a's wait starts again");
        assertEquals(Set.of(), server.decide("server", Set.of("a"), false, 3_999));
        assertEquals(Set.of("a"), server.decide("server", Set.of("a"), false, 4_000));
    }

    @Test
    void theServerNeverDownsItselfAndKeepsItsSideOfAPartialPartition() {
        // The server resumes from a pause: its failure detector marks B' unreachable, and B''s own record
        // of the server (made while the server was frozen) is still in the membership. Pekko's resolver
        // took the two for indirectly connected and downed both; here B' goes and the server stays.
        final DowningDecider<String> server = new DowningDecider<>("server", STABLE);
        server.decide("server", Set.of("b2", "server"), false, 0);
        assertEquals(Set.of("b2"), server.decide("server", Set.of("b2", "server"), false, STABLE));
    }

    @Test
    void aClientsNodeDownsItselfOnlyForItsOwnLossOfTheServer() {
        final DowningDecider<String> a = new DowningDecider<>("a", STABLE);
        assertEquals(Set.of(), a.decide("server", Set.of("b"), false, 0), "another node's trouble is not a's");
        assertEquals(Set.of(), a.decide("server", Set.of(), false, 50_000), "the server reachable from a");
        assertEquals(Set.of(), a.decide("server", Set.of(), true, 60_000));
        assertEquals(Set.of(), a.decide("server", Set.of(), false, 61_000), "heard again within stable-after");
        assertEquals(Set.of(), a.decide("server", Set.of(), true, 62_000));
        assertEquals(62_000L, a.serverLostSince(), "the wait starts again");
        assertEquals(Set.of(), a.decide("server", Set.of(), true, 63_999));
        assertEquals(Set.of("a"), a.decide("server", Set.of(), true, 64_000));
        assertEquals(Set.of(), a.decide("server", Set.of(), true, 70_000), "downed once");
    }

    @Test
    void noServerInViewNoDecision() {
        final DowningDecider<String> a = new DowningDecider<>("a", STABLE);
        assertEquals(Set.of(), a.decide(null, Set.of("b"), true, 0));
        assertEquals(Set.of(), a.decide(null, Set.of("b"), true, 100 * STABLE));
    }

    @Test
    void stableAfterMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new DowningDecider<>("a", 0));
    }

    @Test
    void theServersViewOfTroubleFromPekkosRecords() {
        final UniqueAddress server = node(25520, 1);
        final UniqueAddress a = node(25521, 2);
        final UniqueAddress b = node(25522, 3);
        final UniqueAddress c = node(25523, 4);
        final UniqueAddress gone = node(25524, 5);
        final Reachability r = Reachability.empty()
                .unreachable(b, server)          // b cannot reach the server: b is in trouble
                .unreachable(server, b)
                .unreachable(a, c)               // a cannot reach c: c is in trouble, a is not
                .unreachable(a, gone)            // a member no longer in view
                .unreachable(c, a).reachable(c, a); // c marked a unreachable, then reachable again
        assertEquals(Set.of(b, c), ServerDowningProvider.troubled(r, server, n -> !n.equals(gone)));
        assertEquals(Set.of(), ServerDowningProvider.troubled(Reachability.empty(), server, n -> true));
    }

    private static UniqueAddress node(int port, long uid) {
        return new UniqueAddress(new Address("pekko", "fedlink", "127.0.0.1", port), uid);
    }
}
