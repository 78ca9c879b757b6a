package dev.vfo.agent.device.sim;

import java.util.Objects;

/** What a destination made of a resumed stream when the device left RESUMING. */
public sealed interface StreamVerdict permits StreamVerdict.Valid, StreamVerdict.Invalid {

    enum Kind {
        VALID,
        INVALID
    }

    Kind kind();

    /** The stream decoded: the device now holds {@code content}; {@code dataBytes} of state came in. */
    record Valid(ContentIdentity content, long frames, long dataBytes) implements StreamVerdict {
        public Valid {
            Objects.requireNonNull(content, "content");
        }

        @Override
        public Kind kind() {
            return Kind.VALID;
        }
    }

    /** The stream does not decode; {@code reason} names the first problem and where it was. */
    record Invalid(String reason) implements StreamVerdict {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.INVALID;
        }
    }
}
