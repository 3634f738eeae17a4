package io.dcbstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Cancellation}: the handle engines use to cancel a running statement. */
class CancellationTest {

    @Test
    void aNewHandleIsNotCancelled() {
        assertThat(Cancellation.create().isCancelled()).isFalse();
    }

    @Test
    void cancelRunsTheRegisteredActionAndMarksTheHandleCancelled() throws Exception {
        Cancellation cancellation = Cancellation.create();
        AtomicInteger runs = new AtomicInteger();

        try (AutoCloseable registration = cancellation.onCancel(runs::incrementAndGet)) {
            assertThat(runs).hasValue(0);
            cancellation.cancel();
        }

        assertThat(runs).hasValue(1);
        assertThat(cancellation.isCancelled()).isTrue();
    }

    @Test
    void cancelWithoutARegisteredActionOnlyMarksTheHandleCancelled() {
        Cancellation cancellation = Cancellation.create();

        cancellation.cancel();

        assertThat(cancellation.isCancelled()).isTrue();
    }

    @Test
    void registeringAfterCancelRunsTheActionAtOnce() throws Exception {
        Cancellation cancellation = Cancellation.create();
        cancellation.cancel();
        AtomicInteger runs = new AtomicInteger();

        try (AutoCloseable registration = cancellation.onCancel(runs::incrementAndGet)) {
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void unregisteringStopsTheActionFromRunning() throws Exception {
        Cancellation cancellation = Cancellation.create();
        AtomicInteger runs = new AtomicInteger();
        AutoCloseable registration = cancellation.onCancel(runs::incrementAndGet);

        registration.close();
        cancellation.cancel();

        assertThat(runs).hasValue(0);
        assertThat(cancellation.isCancelled()).isTrue();
    }

    @Test
    void closingAnEarlierRegistrationDoesNotRemoveALaterOne() throws Exception {
        Cancellation cancellation = Cancellation.create();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        AutoCloseable firstRegistration = cancellation.onCancel(first::incrementAndGet);
        firstRegistration.close();
        cancellation.onCancel(second::incrementAndGet);

        firstRegistration.close();
        cancellation.cancel();

        assertThat(first).hasValue(0);
        assertThat(second).hasValue(1);
    }

    @Test
    void cancelFromAnotherThreadRunsTheActionAndIsVisible() throws Exception {
        Cancellation cancellation = Cancellation.create();
        CountDownLatch ran = new CountDownLatch(1);
        cancellation.onCancel(ran::countDown);

        Thread canceller = new Thread(cancellation::cancel);
        canceller.start();
        canceller.join(5_000);

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cancellation.isCancelled()).isTrue();
    }

    @Test
    void cancelRunsTheActionsOfEveryOperationRunningUnderTheHandle() {
        Cancellation cancellation = Cancellation.create();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        cancellation.onCancel(first::incrementAndGet);
        cancellation.onCancel(second::incrementAndGet);

        cancellation.cancel();

        assertThat(first).hasValue(1);
        assertThat(second).hasValue(1);
    }
}
