package dev.gatehouse.mcp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.engine.quota.Quotas.Quota;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.tools.CallContext;
import dev.gatehouse.mcp.tools.GovernedTool;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each principal's tool calls running at once are bounded; the others' are not. */
class McpProtocolQuotaTest {

  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** A tool that holds its call until the test releases it. */
  private final GovernedTool holding =
      new GovernedTool() {
        @Override
        public McpSchema.Tool definition() {
          return McpSchema.Tool.builder()
              .name("hold")
              .inputSchema(Map.<String, Object>of("type", "object"))
              .build();
        }

        @Override
        public boolean visibleTo(CallContext caller) {
          return true;
        }

        @Override
        public McpSchema.CallToolResult call(CallContext caller, Map<String, Object> arguments) {
          if (caller.principal().subject().equals("analyst")) {
            entered.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return McpSchema.CallToolResult.builder().isError(false).build();
        }
      };

  private static CallContext caller(String subject) {
    Principal p =
        new Principal(
            "https://idp.example.com",
            subject,
            Principal.Kind.PERSON,
            Set.of(),
            null,
            Map.of(),
            Instant.parse("2030-01-01T00:00:00Z"));
    return new CallContext(p, null, "s", CallContext.ProgressSink.NONE);
  }

  @Test
  void aSecondCallOfAPrincipalAtItsLimitIsAnErrorResultNamingTheQuota() throws Exception {
    Quotas quotas = new Quotas(new QuotaLimits(0, 0, 1, 0, 0, 0, 0, 0), 10, null);
    McpProtocol protocol =
        new McpProtocol(
            List.of(holding),
            McpServerConfig.builder("shop", List.of(URI.create("https://idp.example.com"))).build(),
            quotas);
    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("hold", Map.of());
    CompletableFuture<McpSchema.CallToolResult> first =
        CompletableFuture.supplyAsync(() -> protocol.callTool(caller("analyst"), request));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    McpSchema.CallToolResult second = protocol.callTool(caller("analyst"), request);
    assertThat(second.isError()).isTrue();
    assertThat(((McpSchema.TextContent) second.content().get(0)).text())
        .contains(
            "too many running statements for principal `analyst`: the limit is 1"
                + " (quotas.statementsPerPrincipal); wait for one to finish and try again");
    assertThat(protocol.callTool(caller("etl-nightly"), request).isError()).isFalse();

    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).isError()).isFalse();
    assertThat(quotas.inUse(Quota.STATEMENTS, "analyst")).isZero();
    assertThat(protocol.callTool(caller("analyst"), request).isError()).isFalse();
  }
}
