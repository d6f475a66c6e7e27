package dev.gatehouse.mcp.spring;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns Spring AI's own MCP server off by default: it would register a second handler on the same
 * endpoint that lists every tool to every caller. An explicit setting still wins.
 */
public final class SpringAiMcpServerOff implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication app) {
    env.getPropertySources()
        .addLast(
            new MapPropertySource(
                "gatehouse-mcp-defaults", Map.of("spring.ai.mcp.server.enabled", "false")));
  }
}
