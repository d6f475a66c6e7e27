package dev.gatehouse.mcp;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.testgate.EngineGates;
import dev.gatehouse.mcp.testgate.ReferenceGates;
import dev.gatehouse.mcp.testgate.TestGates;
import dev.gatehouse.testkit.OffsetClock;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/** A Spring Boot application serving the MCP endpoint with the test gate, for HTTP tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class HttpTestApp {

  private static final String BOUND = "        maxRowsAffected: 100";

  /** {@code test.mcp.gate=reference}: the engine's real analyser and policy (reference policy). */
  @Bean
  TestGates.Fixture fixture(
      @Value("${test.mcp.gate:doubles}") String gate,
      @Value("${test.mcp.policy:reference}") String policy) {
    return switch (gate) {
      case "engine" -> {
        java.util.function.UnaryOperator<String> edit =
            switch (policy) {
              // limits a test can reach (a 1 s timeout, 7 rows for readers)
              case "tight-obligations" ->
                  text ->
                      text.replace("statementTimeout: 30s", "statementTimeout: 1s")
                          .replace("rowLimit: 10000", "rowLimit: 7");
              // a row limit of 1 for the writer, with its blast-radius bound or without
              case "writer-row-limit" ->
                  text -> text.replace(BOUND, BOUND + "\n        rowLimit: 1");
              case "writer-row-limit-unbounded" ->
                  text -> text.replace(BOUND, "        rowLimit: 1");
              default -> java.util.function.UnaryOperator.identity();
            };
        Engine engine =
            EngineGates.start(TestPostgres.get().createShopDatabase("mcp_engine"), edit);
        yield new TestGates.Fixture(engine.gate(), null, engine.approvals());
      }
      case "reference" ->
          ReferenceGates.create(TestPostgres.get().createShopDatabase("mcp_corpus"));
      default -> TestGates.create();
    };
  }

  @Bean
  Gate gate(TestGates.Fixture fixture) {
    return fixture.gate();
  }

  /** {@code test.mcp.clock=offset}: the MCP server's clock, which a test moves forward. */
  @Bean
  @ConditionalOnProperty(name = "test.mcp.clock", havingValue = "offset")
  OffsetClock mcpClock() {
    return new OffsetClock();
  }

  /** {@code test.mcp.mcp-sessions=N}: each principal may hold N MCP sessions. */
  @Bean
  @ConditionalOnProperty(name = "test.mcp.mcp-sessions")
  Quotas quotas(@Value("${test.mcp.mcp-sessions}") int sessions) {
    return new Quotas(new QuotaLimits(0, sessions, 0, 0, 0, 0, 0, 0), 10, null);
  }

  @Bean
  McpServerConfig mcpServerConfig(
      @Value("${test.mcp.stateless:false}") boolean stateless,
      @Value("${test.mcp.pool-size:0}") int poolSize,
      @Value("${test.mcp.session-idle-seconds:0}") long idleSeconds,
      @Value("${test.mcp.approval-wait-ms:3000}") long approvalWaitMs) {
    return McpServerConfig.builder("shop", List.of(URI.create(TestIssuer.get().issuerUrl())))
        .stateless(stateless)
        .poolSize(poolSize)
        .sessionIdleTimeout(idleSeconds == 0 ? null : Duration.ofSeconds(idleSeconds))
        .scopes(List.of("gatehouse.query"))
        .approvalWait(Duration.ofMillis(approvalWaitMs))
        .progressInterval(Duration.ofMillis(200))
        .build();
  }
}
