package dev.vfo.schemas.codec;

import java.lang.management.ManagementFactory;

/** Bytes this thread has allocated so far (HotSpot's per-thread allocation counter). */
final class AllocationMeter {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {}

    static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
