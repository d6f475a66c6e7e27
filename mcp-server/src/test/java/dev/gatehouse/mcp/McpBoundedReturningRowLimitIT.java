package dev.gatehouse.mcp;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link McpReturningRowLimit}: etl-nightly with its bound of 100 rows and a row limit of 1. */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"test.mcp.gate=engine", "test.mcp.policy=writer-row-limit"})
class McpBoundedReturningRowLimitIT extends McpReturningRowLimit {
  @Override
  boolean bounded() {
    return true;
  }
}
