package dev.vfo.core.saga;

/** The last two VFIO_MIG_GET_PRECOPY_INFO readings of one source device (for the dirty-bytes trend). */
public record PreCopyStats(long initialBytes, long dirtyBytes, long previousDirtyBytes, long stopCopySizeEstimate,
        long bytesSent, int reports) {

    PreCopyStats next(long initial, long dirty, long estimate, long sent) {
        return new PreCopyStats(initial, dirty, reports == 0 ? dirty : dirtyBytes, estimate, sent, reports + 1);
    }

    static final PreCopyStats NONE = new PreCopyStats(0, 0, 0, 0, 0, 0);

    boolean initialSent() {
        return reports > 0 && bytesSent >= initialBytes;
    }

    boolean dirtyRising() {
        return reports > 1 && dirtyBytes > previousDirtyBytes;
    }
}
