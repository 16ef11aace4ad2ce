/**
 * Lab exporter simulator: sends realistic NetFlow v9/IPFIX from many simulated exporters to
 * explicit destinations, with template changes and per-destination template suppression on demand.
 */
package io.tandem.lab.exporter;
