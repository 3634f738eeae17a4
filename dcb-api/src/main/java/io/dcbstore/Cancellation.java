package io.dcbstore;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A handle that lets one thread cancel an operation another thread is running. Pass it in
 * {@link ReadOptions} or {@link AppendOptions}; {@link #cancel()} cancels the running statement on
 * the server, and the operation throws {@link OperationCancelledException}. One handle may serve
 * many operations; once cancelled it stays cancelled.
 */
public final class Cancellation {
    private final AtomicReference<Runnable> onCancel = new AtomicReference<>();
    private volatile boolean cancelled;

    private Cancellation() {
    }

    /** @return a new, not yet cancelled handle */
    public static Cancellation create() {
        return new Cancellation();
    }

    /** Cancels the operation running under this handle, if any, and every later one. */
    public void cancel() {
        cancelled = true;
        Runnable action = onCancel.get();
        if (action != null) {
            action.run();
        }
    }

    /** @return whether {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * For engines: registers what {@link #cancel()} must do while an operation runs, and returns a
     * handle that unregisters it. Runs the action at once if already cancelled.
     *
     * @param action cancels the running statement
     * @return unregisters the action
     */
    public AutoCloseable onCancel(Runnable action) {
        onCancel.set(action);
        if (cancelled) {
            action.run();
        }
        return () -> onCancel.compareAndSet(action, null);
    }
}
