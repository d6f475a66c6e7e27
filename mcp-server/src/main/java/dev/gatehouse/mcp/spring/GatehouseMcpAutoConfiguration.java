package dev.gatehouse.mcp.spring;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.mcp.GatehouseMcp;
import dev.gatehouse.mcp.auth.GatehouseHttpFilter;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.transport.HttpTransports;
import dev.gatehouse.mcp.transport.McpSessions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves Gatehouse's MCP endpoint in a Spring Boot servlet application that provides a {@link Gate}
 * and an {@link McpServerConfig} bean: the resource-server filter, the Protected Resource Metadata
 * and the streamable HTTP transport. Spring AI's own MCP server stays off (see {@link
 * SpringAiMcpServerOff}); Gatehouse answers the protocol itself so that tools are listed per
 * caller.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean({Gate.class, McpServerConfig.class})
public class GatehouseMcpAutoConfiguration {

  @Bean(destroyMethod = "close")
  public GatehouseMcp gatehouseMcp(
      Gate gate, McpServerConfig config, ObjectProvider<Quotas> quotas) {
    return new GatehouseMcp(gate, config, quotas.getIfAvailable(Quotas::unlimited));
  }

  /**
   * The live MCP sessions (owner, quota place, lease): bound by the filter, ended by their client,
   * their lease or shutdown; the transport records each end and closes its streams.
   */
  @Bean
  public McpSessions gatehouseMcpLiveSessions(McpServerConfig config, ObjectProvider<Clock> clock) {
    return McpSessions.of(config, clock.getIfAvailable(Clock::systemUTC));
  }

  @Bean
  public FilterRegistrationBean<GatehouseHttpFilter> gatehouseMcpHttpFilter(
      Gate gate,
      McpServerConfig config,
      ObjectProvider<Clock> clock,
      McpSessions sessions,
      ObjectProvider<Quotas> quotas) {
    FilterRegistrationBean<GatehouseHttpFilter> registration =
        new FilterRegistrationBean<>(
            new GatehouseHttpFilter(
                gate,
                config,
                clock.getIfAvailable(Clock::systemUTC),
                sessions,
                quotas.getIfAvailable(Quotas::unlimited)));
    registration.addUrlPatterns(
        config.endpoint(),
        config.endpoint() + "/*",
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.setName("gatehouseMcpHttpFilter");
    return registration;
  }

  @Bean
  public HttpTransports.Endpoint gatehouseMcpEndpoint(
      GatehouseMcp mcp, ObjectProvider<Clock> clock, McpSessions sessions) {
    return HttpTransports.endpoint(
        mcp, McpJsonDefaults.getMapper(), clock.getIfAvailable(Clock::systemUTC), sessions);
  }

  @Bean
  public RouterFunction<ServerResponse> gatehouseMcpRouter(HttpTransports.Endpoint endpoint) {
    return endpoint.router();
  }

  /**
   * Closes MCP sessions as the application context closes: the close event comes before the web
   * server's graceful shutdown, which would otherwise wait for their open streams until it times
   * out. (Not a lifecycle stop: a stopped context may start again, a closed transport cannot.)
   */
  @Bean
  public ApplicationListener<ContextClosedEvent> gatehouseMcpSessions(
      HttpTransports.Endpoint endpoint) {
    return event -> endpoint.closer().get().block(Duration.ofSeconds(5));
  }
}
