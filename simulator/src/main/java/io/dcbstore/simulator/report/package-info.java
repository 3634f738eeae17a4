/** The run report: console summary, report.json and a self-contained report.html. */
package io.dcbstore.simulator.report;
