/**
 * Guided Hot/Cold setup: from two standalone NFO servers to a pair. Discovery reads both nodes (through the node
 * gateway) and judges what is missing, with the fix for each item; plan, dry run and apply build on it.
 */
package io.tandem.setup;
