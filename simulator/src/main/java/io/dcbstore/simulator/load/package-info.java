/** Open-model pacing, the scenario mix and the measurements of a simulation run. */
package io.dcbstore.simulator.load;
