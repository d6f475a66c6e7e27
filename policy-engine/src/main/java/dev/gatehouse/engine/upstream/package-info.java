/**
 * Upstream: where each logical database lives and as whom a front end connects to it. The policy
 * implements {@link dev.gatehouse.engine.upstream.UpstreamDirectory} from its configuration; the
 * front ends and the facade only read targets from it.
 */
package dev.gatehouse.engine.upstream;
