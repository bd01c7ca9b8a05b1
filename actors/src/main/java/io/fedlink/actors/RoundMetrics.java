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
 */
public record RoundMetrics(int trial, int round, double nmse, int polled, int received, int dropped, int rejected,
                           int clientUpdates, double seconds, int clients) {
}
