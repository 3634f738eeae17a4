package io.dcbstore.simulator.report;

/**
 * The machine and the settings of a run.
 *
 * @param cores available processors
 * @param java the Java version
 * @param os the operating system and architecture
 * @param cluster the servers: embedded, or the external URLs
 * @param workers worker threads
 * @param poolSizePerNode connections per server
 * @param timeoutMs per-request timeout
 * @param queuePolicy how workers picked the next waiting request
 * @param maxStalenessMs how old a cached projection could be to answer without a read
 * @param seed the random seed of the request sequence
 * @param books book copies in the seeded library
 * @param readers readers in the seeded library
 * @param seedEvents events asked for in the seeded history
 * @param mix the scenario mix
 * @param storeTimeoutMs the store's default timeout
 * @param finishedAt when the measured run finished (ISO-8601)
 * @param maxP99Ms the p99 goal: {@code --max-p99}, the bound of a find-max step, drawn as the goal
 *     line of the latency charts
 */
public record EnvironmentReport(
        int cores,
        String java,
        String os,
        String cluster,
        int workers,
        int poolSizePerNode,
        long timeoutMs,
        String queuePolicy,
        long maxStalenessMs,
        long seed,
        long books,
        long readers,
        long seedEvents,
        MixReport mix,
        long storeTimeoutMs,
        String finishedAt,
        long maxP99Ms) {}
