package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.sql.Analysis;

/** A message as analysed and decided. */
public record Verdict(Analysis analysis, Decision decision) {}
