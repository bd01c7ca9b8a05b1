package io.fedlink.protocol;

/**
 * Marker of every message of the Fedlink wire protocol. Serialization is bound to this interface,
 * so only the protocol's own classes cross the network.
 */
public interface FedlinkMessage {
}
