/**
 * Alerts: a pair's webhook (JSON POST, optionally HMAC-signed) on a new critical finding, a role
 * change or a recovery; deduplicated, rate-limited, with a test send; every send recorded.
 */
package io.tandem.alerts;
