package io.fedlink.core.random;

/** What a random stream is for. The codes are part of the determinism contract: never renumber. */
public enum StreamPurpose {
    /** The true parameter omega (SPEC section 6); one stream per experiment. */
    TRUE_MODEL(1),
    /** Client k's data: its sample count, mean, variance, regressors and observation noise. */
    CLIENT_DATA(2),
    /** The scheduler's draws of S_n, one stream per trial. */
    SCHEDULE(3),
    /** Noise of the downlink to client k (server to client), one stream per trial and client. */
    DOWNLINK_NOISE(4),
    /** Noise of the uplink from client k (client to server), one stream per trial and client. */
    UPLINK_NOISE(5),
    /** Client k's clock speed in free-running mode (one draw per trial and client). */
    CLIENT_CLOCK(6),
    /** Client k's place in a path-loss link budget (one draw per experiment and client, trial 0). */
    LINK_BUDGET(7),
    /** The assignment of a data file's rows to clients (`--partition iid` or `dirichlet`; trial -1, client 0). */
    PARTITION(8);

    private final int code;

    StreamPurpose(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
