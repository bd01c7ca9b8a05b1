package io.fedlink.actors;

import java.time.Duration;

/** How a federation keeps time. */
public sealed interface FederationMode permits FederationMode.Lockstep, FederationMode.FreeRunning {

    /** The name used by {@code --mode}. */
    String id();

    /**
     * Every client performs exactly one local step per round, polled or not; a round closes when every
     * polled client has answered. Curves are bit-identical to the reference engine's.
     */
    record Lockstep() implements FederationMode {
        @Override
        public String id() {
            return "lockstep";
        }
    }

    /**
     * Asynchronous, as real devices are: client k steps on its own clock, with a period drawn once per
     * trial log-uniformly from [clientPeriod, speedSpread x clientPeriod]; the server aggregates every
     * serverPeriod whatever uploads have arrived, and polls the next clients. Not reproducible bit for
     * bit: timing decides which uploads make each aggregation.
     *
     * @param serverPeriod the server's cadence: one round per period
     * @param clientPeriod the fastest client's step period
     * @param speedSpread  ratio of the slowest to the fastest client's period, >= 1
     */
    record FreeRunning(Duration serverPeriod, Duration clientPeriod, double speedSpread) implements FederationMode {
        public FreeRunning {
            if (serverPeriod.isNegative() || serverPeriod.isZero() || clientPeriod.isNegative() || clientPeriod.isZero()) {
                throw new IllegalArgumentException("periods must be positive");
            }
            if (!(speedSpread >= 1.0) || Double.isInfinite(speedSpread)) {
                throw new IllegalArgumentException("speed spread must be a finite number >= 1, got " + speedSpread);
            }
        }

        @Override
        public String id() {
            return "free-running";
        }

        /** Client k's step period for a uniform draw u in [0, 1). */
        public Duration clientPeriod(double u) {
            return Duration.ofNanos(Math.round(clientPeriod.toNanos() * Math.pow(speedSpread, u)));
        }
    }
}
