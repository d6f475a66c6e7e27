package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.policy.Verdict;

/**
 * The engine's answer to a front end that asks to run a statement: run it ({@link Admitted}), wait
 * for a human ({@link AwaitingApproval}), or do not run it ({@link Refused}).
 */
public sealed interface Admission permits Admitted, AwaitingApproval, Refused {

  /** The statement as analysed and decided; null only for an internal failure before deciding. */
  Verdict verdict();
}
