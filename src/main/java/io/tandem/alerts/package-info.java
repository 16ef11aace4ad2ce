/**
 * Alerts: a pair's webhook (JSON POST, optionally HMAC-signed) and email (SMTP) that tell a failover (one WARNING
 * within the grace) from an outage (CRITICAL), with a recovery for every problem opened; decided and rate-limited
 * once for both channels, with a test send; every send recorded and counted.
 */
package io.tandem.alerts;
