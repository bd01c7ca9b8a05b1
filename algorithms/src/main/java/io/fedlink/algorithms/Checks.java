package io.fedlink.algorithms;

/** The checks every server rule makes of an upload (the contract of ServerRule.receive). */
final class Checks {

    private Checks() {
    }

    /**
     * @throws IllegalArgumentException if the id is outside 0..K-1 or does not ascend, or the length is wrong
     */
    static void upload(int clientId, double[] upload, int clients, int length, int lastClientId) {
        if (clientId < 0 || clientId >= clients) {
            throw new IllegalArgumentException("client id " + clientId + " outside 0.." + (clients - 1));
        }
        if (clientId <= lastClientId) {
            throw new IllegalArgumentException("uploads must arrive in ascending client-id order: "
                    + clientId + " after " + lastClientId);
        }
        if (upload.length != length) {
            throw new IllegalArgumentException("upload from client " + clientId + " has length " + upload.length
                    + ", expected " + length);
        }
    }
}
