package io.dcbstore.simulator.growth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapAfterGcTest {

    @Test
    void aFullCollectionReportsTheHeapStillInUseAfterIt() throws Exception {
        try (HeapAfterGc heap = new HeapAfterGc()) {
            List<long[]> live = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                live.add(new long[128 * 1024]); // 64 x 1 MB kept alive across the collection
            }
            System.gc();
            long deadline = System.nanoTime() + 10_000_000_000L;
            // The notification arrives on the JMX thread, after the collection.
            while (heap.majorCollections() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(heap.majorCollections()).isPositive();
            assertThat(heap.peakAfterMajorBytes()).isGreaterThanOrEqualTo(64L * 1024 * 1024);
            assertThat(heap.peakAfterAnyBytes()).isGreaterThanOrEqualTo(heap.peakAfterMajorBytes());
            assertThat(live).hasSize(64);
        }
    }
}
