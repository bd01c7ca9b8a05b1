package io.fedlink.actors;

import io.fedlink.protocol.ModelMessage;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.LocalModel;

/**
 * An answer as a server's upload-only reference admits it. The server's message adapter looks at every
 * {@link LocalModel} that arrives there before anything else does, and turns it into one of two messages
 * of the server's own:
 * <ul>
 *   <li>{@link Admitted}: the answer to a poll that is still open, for exactly the slots polled. Only this
 *       one is a model message, so only this one goes through client k's uplinks (and draws from k's noise
 *       streams, one per slot);</li>
 *   <li>{@link Refused}: anything else (stale, not polled, a second answer, not the poll it names, not the
 *       slots polled, malformed or not finite), counted and logged, and it touches no stream.</li>
 * </ul>
 * A forged upload therefore changes neither the model nor the noise the honest uploads receive: the
 * trial's numbers stay those of the reference engine. A {@link LocalModel} sent to the server's own
 * reference, which no client is given, is refused too.
 */
sealed interface Upload extends ServerMessage.Local permits Upload.Admitted, Upload.Refused {

    /** Client k's answer, admitted as the answer to its open poll. */
    record Admitted(LocalModel upload) implements Upload, ModelMessage<Admitted> {

        int clientId() {
            return upload.clientId();
        }

        @Override
        public int round() {
            return upload.round();
        }

        @Override
        public int[] slots() {
            return upload.slots();
        }

        @Override
        public double[][] vectors() {
            return upload.vectors();
        }

        @Override
        public Admitted withVectors(int[] slots, double[][] vectors) {
            return new Admitted(upload.withVectors(slots, vectors));
        }
    }

    /** An answer the server will not take, and why. */
    record Refused(ServerMessage.Answer answer, String problem) implements Upload {
    }
}
