package dev.vfo.coordinator.loop;

import java.util.Arrays;
import java.util.List;

/**
 * The small fixed set of metric tags for refused inputs. The saga's {@code InputIgnored} reasons
 * name ids; a tag must not (the series count would grow without bound), so they are classified
 * here by the saga's wording.
 */
public enum RejectReason {
    FOREIGN_AGENT("is registered by agent"),
    UNKNOWN_DEVICE("is unknown: no agent registered it"),
    DUPLICATE_OR_STALE("duplicate or stale event"),
    NOT_IN_FLIGHT("which is not in flight"),
    NOT_IN_MIGRATION("is not part of migration"),
    HEARTBEAT_WITHOUT_DEVICE("names no device it registered"),
    UNDECODABLE("\u0000never a saga reason"),
    OTHER("\u0000never a saga reason");

    private final String marker;

    RejectReason(String marker) {
        this.marker = marker;
    }

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The class of a saga reason; {@link #OTHER} for requests ignored as repeats and the like. */
    public static RejectReason of(String sagaReason) {
        for (RejectReason r : values()) {
            if (sagaReason.contains(r.marker)) {
                return r;
            }
        }
        return OTHER;
    }

    /** Every tag, for registering the counters up front. */
    public static List<String> tags() {
        return Arrays.stream(values()).map(RejectReason::tag).toList();
    }
}
