/**
 * HTTP plumbing shared by the console and the agent: how a request Tomcat refuses before any application code runs
 * is still answered as problem+json.
 */
package io.tandem.http;
