package io.dcbstore.simulator;

import io.dcbstore.simulator.chaos.Chaos;
import io.dcbstore.simulator.chaos.ChaosSchedule;
import io.dcbstore.simulator.chaos.ClusterFaults;
import io.dcbstore.simulator.cluster.ConnectedStore;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Prepares {@code --chaos} on the embedded cluster: its faults, and the log's head before the load. */
final class ChaosSetup {
    private ChaosSetup() {}

    /**
     * @param schedule what to do when
     * @param servers the embedded servers and the store on them
     * @param out where actions are announced
     * @return the chaos of the run
     * @throws SQLException when the log's head cannot be read
     */
    static Chaos create(ChaosSchedule schedule, SimulationServers servers, PrintStream out) throws SQLException {
        ConnectedStore connected = servers.connected();
        out.println("chaos schedule: " + schedule);
        return new Chaos(
                schedule,
                ClusterFaults.of(servers.cluster()),
                () -> connected.store().routingStatistics().replicaReads(),
                logHead(connected),
                out);
    }

    /** The highest sequence number in the log: appends after it are the run's. */
    private static long logHead(ConnectedStore connected) throws SQLException {
        try (Connection connection = connected.primaryPool().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce(max(sequence_number), 0) FROM "
                        + connected.storeConfig().eventsTable())) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
