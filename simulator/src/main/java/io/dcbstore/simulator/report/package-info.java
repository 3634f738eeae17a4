/**
 * The run report: one typed model ({@link io.dcbstore.simulator.report.RunReport}, records all the
 * way down) and what is made from it: {@code report.json} (snake_case keys, written by
 * {@link io.dcbstore.simulator.report.ReportJson}), a self-contained {@code report.html} and the
 * console summary.
 */
package io.dcbstore.simulator.report;
