/**
 * SIEM sink for the labs: receives the lab NFO nodes' syslog lines over UDP and TCP and counts them per sending
 * node and per second, so tests and the demo can measure loss (gaps) and duplication (overlaps) across a failover.
 */
package io.tandem.lab.sink;
