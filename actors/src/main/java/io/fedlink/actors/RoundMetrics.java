package io.fedlink.actors;

/**
 * One round of one trial, as the monitor measured it: the element of the metrics stream.
 *
 * @param trial    the trial
 * @param round    n = 1..T
 * @param nmse     linear NMSE after the round (eq. 35), summed over clients in id order
 * @param polled   clients the scheduler polled
 * @param received uploads the server aggregated
 * @param dropped  polled clients that stopped or stayed silent (round 1's count includes the start-up round's)
 * @param rejected uploads the server refused (stale, unknown, duplicate, wrong length)
 * @param clientUpdates local steps taken in the round
 * @param seconds  when the round closed, in seconds since the trial's start-up round closed
 * @param clients  clients that took part in the trial (K, unless a cluster node was missing)
 * @param lostUplinks   uploads the uplinks lost in the round (round 1 also counts the start-up's)
 * @param lostDownlinks polls the downlinks lost in the round
 */
public record RoundMetrics(int trial, int round, double nmse, int polled, int received, int dropped, int rejected,
                           int clientUpdates, double seconds, int clients, int lostUplinks, int lostDownlinks) {

    /** A round over links that lost nothing. */
    public RoundMetrics(int trial, int round, double nmse, int polled, int received, int dropped, int rejected,
                        int clientUpdates, double seconds, int clients) {
        this(trial, round, nmse, polled, received, dropped, rejected, clientUpdates, seconds, clients, 0, 0);
    }
}
