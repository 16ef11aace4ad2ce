/**
 * Tandem's own metrics for Prometheus ({@code /actuator/prometheus}): each pair's health, survival, findings, node
 * roles and facts, computed from the monitor's current state, with only pair, node and fixed words as labels.
 */
package io.tandem.metrics;
