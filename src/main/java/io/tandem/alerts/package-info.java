/**
 * Alerts: a pair's webhook (JSON POST, optionally HMAC-signed) and email (SMTP) on a new critical finding, a role
 * change or a recovery; deduplicated and rate-limited once for both channels, with a test send; every send recorded.
 */
package io.tandem.alerts;
