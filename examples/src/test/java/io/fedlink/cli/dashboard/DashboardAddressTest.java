package io.fedlink.cli.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code [HOST:]PORT}: loopback unless a host is named, IPv6 in brackets, nothing else. */
class DashboardAddressTest {

    @Test
    void aPortAloneListensOnLoopback() {
        final DashboardAddress a = DashboardAddress.parse("8080");
        assertEquals(new DashboardAddress("127.0.0.1", 8080), a);
        assertTrue(a.loopback());
    }

    @Test
    void aNamedHostIsTakenAsNamed() {
        assertEquals(new DashboardAddress("0.0.0.0", 9000), DashboardAddress.parse("0.0.0.0:9000"));
        assertFalse(DashboardAddress.parse("0.0.0.0:9000").loopback());
        assertEquals(new DashboardAddress("::1", 0), DashboardAddress.parse("[::1]:0"));
        assertEquals("[::1]:0", DashboardAddress.parse("[::1]:0").toString());
        assertTrue(DashboardAddress.parse("localhost:80").loopback());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "web", ":8080", "host:", "65536", "127.0.0.1:99999", "::1:8080", "8080/path", "-1"})
    void anythingElseIsRefusedSayingWhatIsExpected(String text) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DashboardAddress.parse(text));
        assertTrue(e.getMessage().contains("[HOST:]PORT"), e.getMessage());
    }
}
