package io.dcbstore.simulator.chaos;

import java.util.Arrays;

/** What the chaos schedule can do to a server, with the name used in {@code --chaos-schedule}. */
public enum ChaosAction {
    /** Stops the replica with a fast shutdown (its data kept); reads fall back to the primary. */
    STOP_REPLICA("stop-replica", Server.REPLICA, true),
    /** Starts the stopped replica again; it resumes streaming from its slot. */
    START_REPLICA("start-replica", Server.REPLICA, false),
    /** Kills the primary's postmaster with SIGKILL, as a crash would. */
    KILL_PRIMARY("kill-primary", Server.PRIMARY, true),
    /** Starts the killed primary again on the same data directory: crash recovery. */
    START_PRIMARY("start-primary", Server.PRIMARY, false);

    /** The servers a schedule acts on. */
    public enum Server {
        /** The embedded primary. */
        PRIMARY,
        /** The embedded streaming replica. */
        REPLICA
    }

    private final String key;
    private final Server server;
    private final boolean takesDown;

    ChaosAction(String key, Server server, boolean takesDown) {
        this.key = key;
        this.server = server;
        this.takesDown = takesDown;
    }

    /** @return the name in {@code --chaos-schedule} and in reports */
    public String key() {
        return key;
    }

    /** @return the server it acts on */
    public Server server() {
        return server;
    }

    /** @return whether it takes the server down (otherwise it starts it) */
    public boolean takesDown() {
        return takesDown;
    }

    /**
     * @param key an action's name
     * @return the action
     * @throws IllegalArgumentException for an unknown name
     */
    public static ChaosAction byKey(String key) {
        for (ChaosAction action : values()) {
            if (action.key.equals(key)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown chaos action '" + key + "'; known: "
                + Arrays.stream(values()).map(ChaosAction::key).toList());
    }
}
