/**
 * The fleet registry: clusters (HA pairs: name, mode HOT or COLD, Pacemaker and DRBD resource names)
 * with exactly two nodes each (address, access kind, NFO settings, encrypted credential, pinned key).
 */
package io.tandem.fleet;
