package io.dcbstore.library.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** What {@link LayeredMap} needs to fold large bases on a background thread (see its class comment). */
final class LayeredFolds {
    private LayeredFolds() {}

    /**
     * The default folding thread, started on first use and ended after a second without work. It
     * inherits neither the context class loader nor the thread-locals of the query that started
     * it, so an application server can unload the application that used it.
     */
    static final ThreadPoolExecutor EXECUTOR = executor();

    private static ThreadPoolExecutor executor() {
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(null, task, "dcb-layered-map-fold", 0, false);
                    thread.setDaemon(true);
                    thread.setContextClassLoader(null);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * The puts (key, value) and removals (key, {@link LayeredMap#REMOVED}) made since a version
     * that is being folded, newest first; shared by the versions made from one another, so
     * recording a change copies nothing.
     *
     * @param key the key
     * @param value its new value, or {@link LayeredMap#REMOVED}
     * @param previous the change before, or null
     * @param count the changes up to this one
     */
    record Change(String key, Object value, Change previous, int count) {
        static Change after(Change previous, String key, Object value) {
            return new Change(key, value, previous, previous == null ? 1 : previous.count + 1);
        }

        /** @return the changes up to this one, oldest first */
        Change[] inOrder() {
            Change[] changes = new Change[count];
            for (Change change = this; change != null; change = change.previous) {
                changes[change.count - 1] = change;
            }
            return changes;
        }
    }

    /**
     * A fold of an earlier version that a background thread is making, and what was done since.
     *
     * @param folded the earlier version, folded into one base (completes exceptionally if the fold
     *     failed, or was cancelled because an edit folded in place instead)
     * @param since the changes made since that version, newest first (null for none)
     */
    record Fold(CompletableFuture<LayeredMap<?>> folded, Change since) {}
}
