package io.dcbstore.simulator.growth;

import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM of its own by {@link HeapAfterGcCollectorsTest}: keeps 64 MB alive across an
 * explicit full collection (what HeapSettling does before each find-max) and prints what
 * {@link HeapAfterGc} saw.
 */
public final class HeapAfterGcProbe {
    private HeapAfterGcProbe() {}

    public static void main(String[] args) throws Exception {
        try (HeapAfterGc heap = new HeapAfterGc()) {
            List<long[]> live = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                live.add(new long[128 * 1024]);
            }
            System.gc();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (heap.peakAfterAnyBytes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500); // the cycle's last notifications
            System.out.println("majors=" + heap.majorCollections() + " peakAfterMajor=" + heap.peakAfterMajorBytes()
                    + " peakAfterAny=" + heap.peakAfterAnyBytes() + " live=" + live.size());
        }
    }
}
