package dev.gatehouse.wire.flow;

/**
 * Every role of the session at once, for the flows that take a statement end to end (admit, wait
 * for approval, connect, run, answer). The others take only the roles they use; none reaches the
 * {@link Session} itself (WireArchitectureTest).
 */
interface FlowContext extends Relaying, Admitting {}
