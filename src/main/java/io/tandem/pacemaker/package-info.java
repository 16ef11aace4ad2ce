/**
 * Pacemaker as Tandem sees it: tolerant parsers for {@code crm_mon} XML (all three generations) and CIB documents,
 * and the allow-listed, validated {@code pcs} commands the console and the agent may run. Plain Java, no Spring.
 */
package io.tandem.pacemaker;
