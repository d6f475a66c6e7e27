package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.web.WebBeans;
import dev.gatehouse.mcp.config.McpServerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The HTTP server, prepared while the engine starts: Spring builds its context on its own thread
 * and waits for the engine's beans before the server binds its port. If the engine does not start,
 * the server never listens.
 */
public final class WebStart {

  private final CompletableFuture<WebBeans> beans = new CompletableFuture<>();
  private final CompletableFuture<ConfigurableApplicationContext> context =
      new CompletableFuture<>();

  private WebStart() {}

  /** Starts preparing the HTTP server for {@code http}. */
  public static WebStart begin(GatewayConfig.Http http) {
    WebStart start = new WebStart();
    Thread thread =
        new Thread(
            () -> {
              try {
                start.context.complete(run(http, start.beans));
              } catch (Throwable e) {
                start.context.completeExceptionally(e);
              }
            },
            "gatehouse-http-start");
    thread.start();
    return start;
  }

  /** Hands over the engine's beans and waits until the server listens. */
  ConfigurableApplicationContext finish(WebBeans ready) {
    beans.complete(ready);
    try {
      return context.join();
    } catch (CompletionException e) {
      throw new IllegalStateException(
          "the http server did not start: " + rootMessage(e.getCause()), e.getCause());
    }
  }

  /** The engine did not start: the server must not either. */
  public void abandon(Throwable why) {
    beans.completeExceptionally(why);
    try {
      context.join().close();
    } catch (CompletionException expected) {
      // the context failed to refresh, as it should without its beans
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static ConfigurableApplicationContext run(
      GatewayConfig.Http http, CompletableFuture<WebBeans> beans) {
    Map<String, Object> props = new HashMap<>();
    props.put("server.port", http.port());
    props.put("server.address", http.host());
    props.put("server.shutdown", "graceful");
    props.put("spring.lifecycle.timeout-per-shutdown-phase", "30s");
    props.put("spring.main.banner-mode", "off");
    props.put("spring.main.register-shutdown-hook", false);
    props.put("spring.jmx.enabled", false);
    // Gatehouse answers MCP itself (mcp-server); Spring AI's scanners would only warn.
    props.put("spring.ai.mcp.server.annotation-scanner.enabled", false);
    props.put("spring.main.log-startup-info", false);
    // Beans are made when first used: starts faster, and everything is checked before this.
    props.put("spring.main.lazy-initialization", true);
    props.put("management.endpoints.web.exposure.include", "health,prometheus");
    props.put("management.endpoint.health.probes.enabled", true);
    // Which component is DOWN (`audit`) is what an operator needs; details stay hidden (paths).
    props.put("management.endpoint.health.show-components", "always");
    props.put("management.metrics.use-global-registry", true);
    return new SpringApplicationBuilder(WebApp.class)
        .web(WebApplicationType.SERVLET)
        .properties(props)
        .initializers(
            ctx -> {
              // The MCP filter needs these while the servlet context is set up, before the port
              // is bound: that is where the wait for the engine happens.
              GenericApplicationContext g = (GenericApplicationContext) ctx;
              g.registerBean(Gate.class, () -> beans.join().gate());
              g.registerBean(McpServerConfig.class, () -> beans.join().mcp());
              g.registerBean(WebBeans.class, beans::join);
              g.registerBean(dev.gatehouse.engine.quota.Quotas.class, () -> beans.join().quotas());
              g.registerBean(
                  "auditHealthIndicator",
                  org.springframework.boot.health.contributor.HealthIndicator.class,
                  () -> new AuditHealthIndicator(beans.join().audit()));
              g.registerBean(
                  "metricsAuth",
                  org.springframework.boot.web.servlet.FilterRegistrationBean.class,
                  () -> MetricsAuth.registration(http.metricsToken()));
            })
        .run();
  }
}
