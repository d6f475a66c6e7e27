package dev.gatehouse.gateway.serve;

import dev.gatehouse.gateway.console.ConsoleApp;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The HTTP side of {@code serve}: Spring Boot with the MCP endpoint (mcp-server's
 * auto-configuration), the admin API, the Slack interactivity endpoint, the console, health and
 * metrics.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({AdminApi.class, SlackEndpoint.class, ConsoleApp.class})
public class WebApp {}
