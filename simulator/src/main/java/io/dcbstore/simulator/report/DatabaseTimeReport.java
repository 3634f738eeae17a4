package io.dcbstore.simulator.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The database's own execution time during the run (pg_stat_statements), per server.
 *
 * @param primary on the primary
 * @param replica on the replica, or {@code null} (and left out of the JSON) without one
 */
public record DatabaseTimeReport(
        StatementGroups primary,
        @JsonInclude(JsonInclude.Include.NON_NULL) StatementGroups replica) {}
