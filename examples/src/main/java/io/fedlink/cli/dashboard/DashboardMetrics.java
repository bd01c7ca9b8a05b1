package io.fedlink.cli.dashboard;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The dashboard's Prometheus metrics, in a registry of its own, written by the Prometheus Java client:
 * per series (labels {@code run} and {@code series}) counters of trial rounds, polls, uploads received,
 * polls dropped, uploads rejected, uploads and polls lost, client updates and trials, and the latest
 * NMSE; the live clients; and the JVM's own metrics. Without exemplars: there is no trace to point
 * to, and looking for one on every increment would cost the run.
 */
final class DashboardMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();

    private final Counter rounds = counter("fedlink_rounds", "Trial rounds closed (one per round of each trial)");
    private final Counter polls = counter("fedlink_polls", "Polls the servers sent to clients");
    private final Counter received = counter("fedlink_uploads_received", "Uploads the servers aggregated");
    private final Counter dropped = counter("fedlink_polls_dropped",
            "Polls of clients that stopped or stayed silent past the round timeout");
    private final Counter rejected = counter("fedlink_uploads_rejected",
            "Uploads the servers refused (stale, unknown, duplicate, malformed)");
    private final Counter lostUploads = counter("fedlink_uploads_lost", "Uploads the uplink channels lost");
    private final Counter lostPolls = counter("fedlink_polls_lost", "Polls the downlink channels lost");
    private final Counter updates = counter("fedlink_client_updates", "Local steps the clients took");
    private final Counter trials = counter("fedlink_trials_completed", "Trials that delivered every round");
    private final Gauge nmse = Gauge.builder().name("fedlink_nmse_db")
            .help("Latest NMSE in dB: the mean over trials at the furthest round closed; once the series is "
                    + "done, its curve's last round")
            .labelNames("run", "series").withoutExemplars().register(registry);
    private final Gauge liveClients = Gauge.builder().name("fedlink_live_clients")
            .help("Clients taking part: on a cluster, those on clients nodes that are up and reachable; in one "
                    + "JVM, the latest round's trial's").withoutExemplars().register(registry);

    private boolean jvmRegistered;

    /**
     * Adds the JVM's own metrics (memory, GC, threads, ...) at the first scrape: a run that nobody
     * scrapes does not pay for them.
     */
    private synchronized void registerJvmMetrics() {
        if (!jvmRegistered) {
            JvmMetrics.builder().register(registry);
            jvmRegistered = true;
        }
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("run", "series").withoutExemplars().register(registry);
    }

    /** One series' data points, looked up once (not per round). */
    record Series(CounterDataPoint rounds, CounterDataPoint polls, CounterDataPoint received,
                  CounterDataPoint dropped, CounterDataPoint rejected, CounterDataPoint lostUploads,
                  CounterDataPoint lostPolls, CounterDataPoint updates, CounterDataPoint trials, GaugeDataPoint nmse) {
    }

    Series series(String run, String series) {
        return new Series(rounds.labelValues(run, series), polls.labelValues(run, series),
                received.labelValues(run, series), dropped.labelValues(run, series), rejected.labelValues(run, series),
                lostUploads.labelValues(run, series), lostPolls.labelValues(run, series),
                updates.labelValues(run, series), trials.labelValues(run, series), nmse.labelValues(run, series));
    }

    void liveClients(int clients) {
        liveClients.set(clients);
    }

    /** The exposition, in the format the Accept header asks for (Prometheus text unless OpenMetrics is asked). */
    Exposition scrape(String accept) {
        registerJvmMetrics();
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();    // protobuf is not on the class path
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exposition(writer.getContentType(), out.toByteArray());
    }

    /** Written metrics and their content type. */
    record Exposition(String contentType, byte[] body) {
    }
}
