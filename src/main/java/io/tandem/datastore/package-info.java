/**
 * Where the console keeps its state: the data directory (with its single-console lock) and the
 * embedded PostgreSQL server used when no external datasource is configured.
 */
package io.tandem.datastore;
