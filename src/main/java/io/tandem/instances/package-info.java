/**
 * The console instances sharing one database: who is alive (heartbeats) and which pairs each one reads (leases in
 * PostgreSQL, spread evenly, taken over when an instance goes silent). Off by default: one console owns everything.
 */
package io.tandem.instances;
