/**
 * Simulated HA pair for the demo lab and tests: Pacemaker, systemd, the output gate and DRBD held as one truth,
 * answered in the real tools' output formats through {@link io.tandem.lab.sim.LabToolRunner} so the real parsers
 * and agent code run unchanged over it.
 */
package io.tandem.lab.sim;
