package io.fedlink.core.schedule;

import io.fedlink.core.random.RandomStream;

/**
 * Chooses S_n, the clients polled in a round (SPEC section 3), from the clients currently available.
 * Draws come from the trial's scheduling stream only, so a selection depends on nothing but that
 * stream and the list of available clients.
 */
public interface Scheduler {

    /**
     * @param available the ids of the clients that can be polled, ascending; not modified
     * @param rng       the trial's scheduling stream
     * @return the selected ids, ascending, a fresh array
     */
    int[] select(int[] available, RandomStream rng);

    /** Expected number of clients polled per round when {@code available} clients can be polled. */
    double expectedSelected(int available);

    /** A short description for reports. */
    String describe();
}
