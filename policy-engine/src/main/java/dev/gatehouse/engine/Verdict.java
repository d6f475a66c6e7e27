package dev.gatehouse.engine;

import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.sql.Analysis;

/** A message as analysed and decided. */
public record Verdict(Analysis analysis, Decision decision) {}
