/**
 * The servers a command runs against: an embedded primary with an optional streaming replica, or
 * existing servers, with a pool per server and the store on them.
 */
package io.dcbstore.simulator.cluster;
