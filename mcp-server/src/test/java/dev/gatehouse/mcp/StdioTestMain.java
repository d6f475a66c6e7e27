package dev.gatehouse.mcp;

import dev.gatehouse.mcp.stdio.McpStdio;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The stdio server as a child process for tests: the test gate over the parent test's issuer and
 * PostgreSQL, named by environment variables; the caller's token in {@code GATEHOUSE_TOKEN}.
 */
public final class StdioTestMain {

  private StdioTestMain() {}

  public static void main(String[] args) {
    String issuer = env("GATEHOUSE_TEST_ISSUER");
    TestGates.Fixture fixture =
        TestGates.create(
            issuer,
            env("GATEHOUSE_TEST_JWKS"),
            env("GATEHOUSE_TEST_PG_HOST"),
            Integer.parseInt(env("GATEHOUSE_TEST_PG_PORT")),
            Map.of(
                "reader", role("GATEHOUSE_TEST_READER"), "writer", role("GATEHOUSE_TEST_WRITER")));
    McpServerConfig config = McpServerConfig.of("shop", List.of(URI.create(issuer)));
    System.exit(McpStdio.run(fixture.gate(), config));
  }

  private static TestPostgres.UpstreamRole role(String name) {
    String[] value = env(name).split(":", 2);
    return new TestPostgres.UpstreamRole(value[0], value[1]);
  }

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null) {
      throw new IllegalStateException("set " + name);
    }
    return value;
  }
}
