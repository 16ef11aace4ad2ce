/**
 * The {@code templates} tool command and the reusable report of the templates a capture or raw
 * payload file contains (also used by the console for uploaded files).
 */
package io.tandem.netflow.cli;
