package io.dcbstore.simulator.load;

import java.util.Arrays;

/** The kinds of request the simulator sends, with their default share of the mix. */
public enum RequestKind {
    /** A reader borrows a book copy (boundary: the copy OR the reader). */
    LEND("lend", 15, true),
    /** A reader returns a book copy. */
    RETURN("return", 13, true),
    /** A librarian adds a book copy to circulation. */
    ADD_COPY("add_copy", 4, true),
    /** A librarian removes a book copy from circulation. */
    REMOVE_COPY("remove_copy", 2, true),
    /** A reader registers. */
    REGISTER_READER("register_reader", 4, true),
    /** A reader cancels the contract. */
    CANCEL_READER("cancel_reader", 2, true),
    /** Query: the books a reader holds (replica, snapshots). */
    BOOKS_LENT_BY_READER("q_books_lent_by_reader", 45, false),
    /** Query: the books in circulation (replica, snapshots). */
    BOOKS_IN_CIRCULATION("q_books_in_circulation", 5, false),
    /** Query: the books lent out (replica, snapshots). */
    BOOKS_LENT_OUT("q_books_lent_out", 5, false),
    /** Query: the registered readers (replica, snapshots). */
    REGISTERED_READERS("q_registered_readers", 5, false);

    private final String key;
    private final int defaultWeight;
    private final boolean command;

    RequestKind(String key, int defaultWeight, boolean command) {
        this.key = key;
        this.defaultWeight = defaultWeight;
        this.command = command;
    }

    /** @return the name used in options, reports and metrics */
    public String key() {
        return key;
    }

    /** @return the default weight in the mix */
    public int defaultWeight() {
        return defaultWeight;
    }

    /** @return whether it is a command (query, decide, append) rather than a read-only query */
    public boolean isCommand() {
        return command;
    }

    /**
     * @param key an operation name
     * @return the operation
     * @throws IllegalArgumentException for an unknown name
     */
    public static RequestKind byKey(String key) {
        for (RequestKind operation : values()) {
            if (operation.key.equals(key)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + key + "'; known: "
                + Arrays.stream(values()).map(RequestKind::key).toList());
    }
}
