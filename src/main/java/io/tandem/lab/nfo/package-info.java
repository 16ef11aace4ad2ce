/**
 * Lab NFO node: a stand-in NFO server process (real decoder and template cache, config read at start, one syslog
 * line per decoded record to an output behind a simulated output gate), runnable in-process or as {@code lab nfo}.
 */
package io.tandem.lab.nfo;
