package io.fedlink.cluster;

import java.util.List;
import org.apache.pekko.actor.Address;

/**
 * The server node's clients nodes as its coordinator lists them (ready, and not removed from the
 * cluster), for watching (the dashboard): read-only.
 */
public interface ClientsNodes {

    /** A clients node taking part in the experiment: where it is and the client ids it hosts. */
    record Listed(Address address, int firstClient, int lastClient) {
    }

    /** The nodes listed now. */
    List<Listed> listed();

    /**
     * Calls {@code listener} after every change to the list, on the thread that changed it (the
     * coordinator's): it must return at once.
     */
    void onChange(Runnable listener);
}
