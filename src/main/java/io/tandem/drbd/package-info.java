/**
 * DRBD replication state as Tandem sees it (Cold mode): one model for DRBD 9 ({@code drbdsetup status --json},
 * {@code drbdadm status} text, the {@code events2} stream) and DRBD 8.4 ({@code /proc/drbd}), with typed errors.
 */
package io.tandem.drbd;
