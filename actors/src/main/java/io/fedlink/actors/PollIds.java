package io.fedlink.actors;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * The ids a server puts on its polls, so that an upload is taken only as the answer to the poll it
 * names: a peer that did not receive client k's poll cannot upload in k's name. The ids come from a
 * stream seeded from the operating system's entropy, apart from every experiment stream: they decide
 * no number of the experiment, and are not guessable from its seed.
 */
final class PollIds {

    private static final SecureRandom ENTROPY = new SecureRandom();

    private final SplittableRandom ids;

    PollIds() {
        this.ids = new SplittableRandom(ENTROPY.nextLong());
    }

    long next() {
        return ids.nextLong();
    }
}
