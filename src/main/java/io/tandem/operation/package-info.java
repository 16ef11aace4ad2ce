/**
 * Operations on a pair that change the nodes: restart NFO, copy the active's configuration to the passive, and a
 * manual failover. Each starts with a preflight read from the monitor's current judgement, needs a typed
 * confirmation, runs as journaled steps (written before and after each runs) and reports what it measured.
 */
package io.tandem.operation;
