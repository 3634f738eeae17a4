package io.dcbstore;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A handle that lets one thread cancel an operation another thread is running. Pass it in
 * {@link ReadOptions} or {@link AppendOptions}; {@link #cancel()} cancels the running statement on
 * the server, and the operation throws {@link OperationCancelledException}. One handle may serve
 * many operations; once cancelled it stays cancelled.
 */
public final class Cancellation {
    private final Set<Runnable> onCancel = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    private Cancellation() {}

    /** @return a new, not yet cancelled handle */
    public static Cancellation create() {
        return new Cancellation();
    }

    /** Cancels the operation running under this handle, if any, and every later one. */
    public void cancel() {
        cancelled = true;
        for (Runnable action : onCancel) {
            action.run();
        }
    }

    /** @return whether {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * For engines: registers what {@link #cancel()} must do while an operation runs, and returns a
     * handle that unregisters it. Runs the action at once if already cancelled. Several operations
     * may be registered at once; cancel runs them all.
     *
     * @param action cancels the running statement
     * @return unregisters the action
     */
    public AutoCloseable onCancel(Runnable action) {
        Runnable registered = () -> action.run();
        onCancel.add(registered);
        if (cancelled) {
            action.run();
        }
        return () -> onCancel.remove(registered);
    }
}
