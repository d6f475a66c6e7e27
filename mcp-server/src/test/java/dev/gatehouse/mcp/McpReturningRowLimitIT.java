package dev.gatehouse.mcp;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link McpReturningRowLimit}: etl-nightly with a row limit of 1 and no bound. */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"test.mcp.gate=engine", "test.mcp.policy=writer-row-limit-unbounded"})
class McpReturningRowLimitIT extends McpReturningRowLimit {
  @Override
  boolean bounded() {
    return false;
  }
}
