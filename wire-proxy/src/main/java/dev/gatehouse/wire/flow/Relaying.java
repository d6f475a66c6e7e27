package dev.gatehouse.wire.flow;

/**
 * The session's roles once a statement is decided: pacing, the client's answers, the upstream and
 * the session's state, without admission. For the flows that relay and run, not admit.
 */
interface Relaying extends Pacing, ClientAnswers, UpstreamSide, SessionState {}
