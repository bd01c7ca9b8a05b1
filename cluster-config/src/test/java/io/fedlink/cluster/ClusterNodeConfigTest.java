package io.fedlink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node configuration: fedlink-cluster.conf under the command line's values. */
class ClusterNodeConfigTest {

    @Test
    void commandLineValuesLandInTheConfiguration() {
        final Config config = ClusterNode.config("clients", "10.0.0.7", 25601, List.of("10.0.0.1:25520", "10.0.0.2:25520"),
                null, Map.of());
        assertEquals(List.of("clients"), config.getStringList("pekko.cluster.roles"));
        assertEquals("10.0.0.7", config.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(25601, config.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(List.of("pekko://fedlink@10.0.0.1:25520", "pekko://fedlink@10.0.0.2:25520"),
                config.getStringList("pekko.cluster.seed-nodes"));
        assertEquals("cluster", config.getString("pekko.actor.provider"));
        assertEquals("tcp", config.getString("pekko.remote.artery.transport"));
        assertEquals(ServerDowningProvider.class.getName(), config.getString("pekko.cluster.downing-provider-class"));
        assertEquals(Duration.ofSeconds(7), ServerDowningProvider.stableAfter(config));
        assertEquals("fedlink-kryo", config.getString("pekko.actor.serialization-bindings.\"io.fedlink.protocol.FedlinkMessage\""));
        assertFalse(config.getBoolean("pekko.actor.allow-java-serialization"));
    }

    @Test
    void everyValueCanBeOverridden() {
        final Config config = ClusterNode.config("server", "127.0.0.1", 25520, List.of("127.0.0.1:25520"), null,
                Map.of("fedlink.cluster.round-timeout", "750ms", "fedlink.cluster.downing.stable-after", "3s"));
        assertEquals(Duration.ofMillis(750), config.getDuration("fedlink.cluster.round-timeout"));
        assertEquals(Duration.ofSeconds(3), ServerDowningProvider.stableAfter(config));
    }

    @Test
    void aSettingOfPekkosResolverOrABadStableAfterIsRefusedByName() {
        final var resolver = assertThrows(ConfigException.class, () -> ClusterNode.config("server", "127.0.0.1", 25520,
                List.of("127.0.0.1:25520"), null, Map.of("pekko.cluster.split-brain-resolver.stable-after", "3s")));
        assertTrue(resolver.getMessage().contains("pekko.cluster.split-brain-resolver.stable-after")
                && resolver.getMessage().contains("fedlink.cluster.downing.stable-after"), resolver.getMessage());
        for (String bad : List.of("0s", "-1s", "soon")) {
            final var e = assertThrows(ConfigException.class, () -> ClusterNode.config("clients", "127.0.0.1", 25521,
                    List.of("127.0.0.1:25520"), null, Map.of("fedlink.cluster.downing.stable-after", bad)));
            assertTrue(e.getMessage().contains("fedlink.cluster.downing.stable-after"), e.getMessage());
        }
        // With Pekko's resolver chosen again, its settings are the user's to give.
        final Config sbr = ClusterNode.config("server", "127.0.0.1", 25520, List.of("127.0.0.1:25520"), null,
                Map.of("pekko.cluster.downing-provider-class",
                        "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
                        "pekko.cluster.split-brain-resolver.stable-after", "3s"));
        assertEquals(Duration.ofSeconds(3), sbr.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
    }

    @Test
    void tlsSwitchesArteryToMutuallyAuthenticatedTls() {
        final Config config = ClusterNode.config("server", "127.0.0.1", 25520, List.of("127.0.0.1:25520"),
                new ClusterNode.Tls("/keys/node.p12", "/keys/trust.p12", "secret"), Map.of());
        assertEquals("tls-tcp", config.getString("pekko.remote.artery.transport"));
        final String ssl = "pekko.remote.artery.ssl.config-ssl-engine.";
        assertTrue(config.getBoolean(ssl + "require-mutual-authentication"));
        assertEquals("/keys/node.p12", config.getString(ssl + "key-store"));
        assertEquals("/keys/trust.p12", config.getString(ssl + "trust-store"));
        assertEquals("TLSv1.3", config.getString(ssl + "protocol"));
    }

    private static SeriesSpec series(String channel, LinkBudget budget) {
        return new SeriesSpec(FederatedAlgorithm.RERCE, 4, 1e-3, 1e-3, ChannelSpec.parse(channel),
                ChannelSpec.parse(channel), budget, MissingUploads.RECEIVED);
    }

    @Test
    void nodesAgreeOnChannelsAndBudgetsAndABudgetFileByItsContentNotItsPath() {
        final double[][] table = {{1e-3, 2e-3}, {3e-3, 4e-3}};
        final String awgn = ClusterNode.seriesLinks(series("awgn", new LinkBudget.Uniform()));
        final String erasure = ClusterNode.seriesLinks(series("erasure:0.1+awgn", new LinkBudget.Uniform()));
        final String pathLoss = ClusterNode.seriesLinks(series("awgn", new LinkBudget.PathLoss(3)));
        assertEquals(3, java.util.Set.of(awgn, erasure, pathLoss).size(), awgn + " | " + erasure + " | " + pathLoss);
        final String here = ClusterNode.seriesLinks(series("awgn", new LinkBudget.FromFile("/data/budget.csv", table)));
        final String there = ClusterNode.seriesLinks(series("awgn", new LinkBudget.FromFile("budget.csv",
                new double[][] {{1e-3, 2e-3}, {3e-3, 4e-3}})));
        assertEquals(here, there, "the same table under another path");
        assertFalse(here.contains("budget.csv"), here);
        final String other = ClusterNode.seriesLinks(series("awgn", new LinkBudget.FromFile("/data/budget.csv",
                new double[][] {{1e-3, 2e-3}, {3e-3, 4.000000000000001e-3}})));
        assertNotEquals(here, other, "one number differs in its last bit");
    }
}
