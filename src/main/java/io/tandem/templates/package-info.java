/**
 * The console's view of NetFlow templates: what a capture file contains now, and (with node access)
 * each node's template cache and the parity between the two nodes of a pair.
 */
package io.tandem.templates;
