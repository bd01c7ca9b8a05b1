package io.fedlink.cli;

import io.fedlink.cli.dashboard.Dashboard;
import io.fedlink.cli.dashboard.DashboardAddress;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --dashboard [HOST:]PORT} and {@code --dashboard-linger SECONDS}: a live dashboard of the run
 * (see {@link Dashboard}), on {@code fedlink simulate} and on a cluster's server node. The flags are
 * checked with the others, and the address is bound before any work starts: one that cannot be bound
 * is a usage error (exit 2) naming it.
 */
final class DashboardOptions {

    @Option(names = "--dashboard", paramLabel = "[HOST:]PORT",
            description = "Serve a live dashboard of the run: the page (learning curves, progress, summary; on a "
                    + "cluster, the members), /events (Server-Sent Events), /metrics (Prometheus). HOST is "
                    + "127.0.0.1 unless named; PORT 0 takes any free port.")
    String address;

    @Option(names = "--dashboard-linger", paramLabel = "SECONDS",
            description = "With --dashboard: keep the process, and the page, up this long after the run "
                    + "(Ctrl-C leaves earlier).")
    Double linger;

    /** Done once the console has been told where the dashboard serves (or that it could not). */
    private java.util.concurrent.CompletableFuture<?> announced = java.util.concurrent.CompletableFuture.completedFuture(null);

    /** The address asked for, validated; null without --dashboard. */
    DashboardAddress address(CommandLine cmd) {
        if (linger != null && (!(linger >= 0) || linger > 7 * 24 * 3600)) {
            throw ExperimentOptions.usage(cmd, "--dashboard-linger " + linger + ": expected seconds in 0..604800");
        }
        if (address == null) {
            if (linger != null) {
                throw ExperimentOptions.usage(cmd, "--dashboard-linger is for --dashboard: there is no dashboard to "
                        + "keep up");
            }
            return null;
        }
        try {
            return DashboardAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw ExperimentOptions.usage(cmd, "--dashboard " + address + ": " + e.getMessage());
        }
    }

    /**
     * Opens the dashboard (after every flag was checked, before any work): its address is checked at
     * once, and it starts serving in the background; the console shows its address when it does. Null
     * without --dashboard. Warns when it listens off loopback.
     *
     * @throws Dashboard.Unavailable when the address cannot be bound (see {@link #refused})
     */
    Dashboard start(CommandLine cmd, PrintWriter console) throws Dashboard.Unavailable {
        final DashboardAddress where = address(cmd);
        if (where == null) {
            return null;
        }
        final String name = cmd.getCommandSpec().qualifiedName();
        final PrintWriter err = cmd.getErr();
        if (!where.loopback()) {
            err.println(name + ": warning: the dashboard listens on " + where + ", off loopback: anyone who can "
                    + "reach it can read the run's curves, metrics and cluster membership (it has no authentication; "
                    + "it is read-only: no endpoint changes the run)");
            err.flush();
        }
        final Dashboard dashboard = Dashboard.open(where);
        final String url = dashboard.url();
        announced = dashboard.serving().toCompletableFuture().whenComplete((serving, failure) -> {
            if (failure == null) {
                console.println("dashboard: " + url + " (events: " + url + "events, Prometheus: " + url + "metrics)");
                console.flush();
            } else {
                // Taken between the check and the bind: the run matters more than its dashboard.
                err.println(name + ": --dashboard: " + (failure.getCause() != null ? failure.getCause() : failure)
                        .getMessage() + "; the run goes on without the dashboard");
                err.flush();
            }
        });
        return dashboard;
    }

    /** The command failed unexpectedly: the page says so (the error itself is reported as usual). */
    static void failed(Dashboard dashboard, Exception e) {
        if (dashboard != null) {
            dashboard.board().ended("failed", SimulateCommand.oneLine(e));
        }
    }

    /** A dashboard address that could not be bound: one line naming it, exit status 2. */
    static int refused(CommandLine cmd, Dashboard.Unavailable e) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": --dashboard: " + e.getMessage()
                + "; give the dashboard a free port (0 takes any)");
        cmd.getErr().flush();
        return 2;
    }

    /**
     * The command is over: the page says how it ended (unless the run already said why it failed) and
     * stays up for --dashboard-linger.
     *
     * @param status the command's exit status (0 complete)
     */
    void finish(Dashboard dashboard, int status, PrintWriter console) {
        if (dashboard == null) {
            return;
        }
        try {
            announced.join();                            // its address is on the console before the end
        } catch (java.util.concurrent.CompletionException e) {
            return;                                      // it never served: nothing to keep up
        }
        dashboard.board().ended(status == 0 ? "complete" : "failed",
                status == 0 ? "the run is complete" : "the run did not complete (exit status " + status + ")");
        if (linger != null && linger > 0) {
            console.printf("dashboard: %s stays up for %s s (Ctrl-C to leave)%n", dashboard.url(),
                    linger % 1 == 0 ? String.valueOf(linger.longValue()) : String.valueOf(linger));
            console.flush();
            dashboard.linger(Duration.ofMillis(Math.round(linger * 1000)));
        }
    }
}
