package io.fedlink.core.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-client variances: path loss over a disc keeps the mean, a file gives every client its own. */
class LinkBudgetTest {

    @TempDir
    Path tmp;

    @Test
    void uniformGivesEveryClientTheFlagsValues() {
        final double[][] v = LinkBudget.parse("uniform", 4).variances(1, 4, 1e-3, 2e-3);
        for (double[] client : v) {
            assertArrayEquals(new double[] {1e-3, 2e-3}, client, 0.0);
        }
    }

    @Test
    void pathLossKeepsTheMeanVarianceAndFollowsTheDistanceToThePowerOfTheExponent() {
        final int clients = 20_000;
        final LinkBudget.PathLoss budget = (LinkBudget.PathLoss) LinkBudget.parse("pathloss:3", clients);
        final double[][] v = budget.variances(7L, clients, 6.25e-4, 1e-2);
        double up = 0;
        double down = 0;
        for (double[] client : v) {
            up += client[0];
            down += client[1];
            assertEquals(client[0] / 6.25e-4, client[1] / 1e-2, 1e-12, "one factor per client, both directions");
        }
        assertEquals(6.25e-4, up / clients, 1e-15);
        assertEquals(1e-2, down / clients, 1e-14);
        // Uniform in the unit disc, E[d^3] = integral 2 r r^3 dr = 2/5: the factor is d^3 / (2/5) on average.
        final double[] factors = budget.factors(7L, clients);
        double distances = 0;
        for (double f : factors) {
            distances += Math.cbrt(f * 0.4);
        }
        assertEquals(2.0 / 3, distances / clients, 0.01, "mean distance to the centre of a unit disc is 2/3");
        assertArrayEquals(factors, budget.factors(7L, clients), 0.0, "from the seed: the same on every node");
        assertTrue(budget.factors(8L, clients)[0] != factors[0]);
    }

    @Test
    void fileGivesAbsoluteVariancesPerClient() throws IOException {
        final Path file = tmp.resolve("budget.csv");
        Files.writeString(file, "client,uplink_noise,downlink_noise\n2,0.3,0.03\n0,0.1,0.01\n1,0.2,0.02\n");
        final double[][] v = LinkBudget.parse(file.toString(), 3).variances(1, 3, 99, 99);
        assertArrayEquals(new double[] {0.2, 0.02}, v[1], 0.0);
        assertArrayEquals(new double[] {0.3, 0.03}, v[2], 0.0);
    }

    @Test
    void badBudgetsNameTheFileLineAndColumn() throws IOException {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinkBudget.parse("pathloss:x", 3))
                .getMessage().contains(LinkBudget.GRAMMAR));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinkBudget.parse("flat", 3))
                .getMessage().contains(LinkBudget.GRAMMAR));
        final Path missing = tmp.resolve("missing.csv");
        Files.writeString(missing, "client,uplink_noise,downlink_noise\n0,0.1,0.1\n2,0.1,0.1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinkBudget.parse(missing.toString(), 3))
                .getMessage().contains("no row for client 1"));
        final Path negative = tmp.resolve("negative.csv");
        Files.writeString(negative, "client,uplink_noise,downlink_noise\n0,0.1,0.1\n1,-0.1,0.1\n");
        final String message = assertThrows(IllegalArgumentException.class,
                () -> LinkBudget.parse(negative.toString(), 2)).getMessage();
        assertTrue(message.contains("line 3") && message.contains("uplink_noise"), message);
        final Path text = tmp.resolve("text.csv");
        Files.writeString(text, "client,uplink_noise,downlink_noise\n0,0.1,loud\n");
        final String notANumber = assertThrows(IllegalArgumentException.class,
                () -> LinkBudget.parse(text.toString(), 1)).getMessage();
        assertTrue(notANumber.contains("line 2") && notANumber.contains("downlink_noise"), notANumber);
    }
}
