package dev.vfo.schemas.codec;

import java.util.Objects;

/**
 * Why bytes did not decode: a typed reason (what a dead-letter consumer or an alert keys on) and a
 * human-readable detail (where in the record and what was found).
 */
public record Failure(Reason reason, String detail) {

    public Failure {
        Objects.requireNonNull(reason);
        Objects.requireNonNull(detail);
    }

    /** The ways bytes can fail to be a record, from the outside of the frame inwards. */
    public enum Reason {
        /** Null or zero-length value. */
        EMPTY,
        /** Larger than any record the codec accepts ({@link SingleObject#MAX_MESSAGE_BYTES}). */
        TOO_LARGE,
        /** Does not start with the single-object marker C3 01. */
        WRONG_MARKER,
        /** Ends before the header, a field, or a length-prefixed value is complete. */
        TRUNCATED,
        /** The schema fingerprint names no schema this build knows (current or historical). */
        UNKNOWN_FINGERPRINT,
        /** A well-formed record of a type that does not belong here (e.g. a command on the event topic). */
        UNEXPECTED_TYPE,
        /** A varint longer than its type allows. */
        INVALID_VARINT,
        /** A string, bytes or collection length that is negative or exceeds the bytes that remain. */
        INVALID_LENGTH,
        /** A string that is not valid UTF-8. */
        INVALID_UTF8,
        /** A boolean byte other than 0 or 1. */
        INVALID_BOOLEAN,
        /** An enum index outside the writer schema's symbols. */
        INVALID_ENUM,
        /** A union branch index outside the writer schema's branches. */
        INVALID_UNION,
        /** Bytes left over after the record ended. */
        TRAILING_BYTES,
        /** The writer's schema cannot be resolved against the current one (an incompatible change). */
        INCOMPATIBLE_SCHEMA,
        /**
         * The record names an enum symbol this reader does not know (a newer writer's symbol, read as
         * the enum's UNKNOWN default): refused rather than mapped to a wrong state.
         */
        UNKNOWN_SYMBOL,
        /** The datum is well formed but the domain refuses it (e.g. an id with illegal characters). */
        INVALID_VALUE
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
