package dev.gatehouse.engine.policy;

/** The front end a statement came through. */
public enum Channel {
  WIRE,
  MCP,
  CLI
}
