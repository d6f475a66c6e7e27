package dev.gatehouse.gateway.serve;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /actuator/prometheus} answers only with {@code Authorization: Bearer <http.metricsToken>};
 * without a configured token it answers loopback clients only (a quickstart, a local scraper),
 * never the network: metrics describe identities' activity. Health stays open: probes carry no
 * token.
 */
final class MetricsAuth extends OncePerRequestFilter {

  private final byte[] token;

  private MetricsAuth(String token) {
    this.token = token == null ? null : token.strip().getBytes(StandardCharsets.UTF_8);
  }

  static FilterRegistrationBean<MetricsAuth> registration(String token) {
    FilterRegistrationBean<MetricsAuth> r = new FilterRegistrationBean<>(new MetricsAuth(token));
    r.addUrlPatterns("/actuator/prometheus", "/actuator/prometheus/*");
    return r;
  }

  private static boolean loopback(String address) {
    // the servlet container gives a numeric address: compare it, never resolve it
    return address != null
        && (address.startsWith("127.")
            || address.equals("::1")
            || address.equals("0:0:0:0:0:0:0:1")
            || address.startsWith("::ffff:127."));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (token == null && loopback(request.getRemoteAddr())) {
      chain.doFilter(request, response);
      return;
    }
    if (token != null
        && header != null
        && header.startsWith("Bearer ")
        && MessageDigest.isEqual(
            header.substring(7).strip().getBytes(StandardCharsets.UTF_8), token)) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Bearer");
    response.setContentType("text/plain");
    response
        .getWriter()
        .println(
            token == null
                ? "metrics answer loopback clients only: set `http.metricsToken` and send it as"
                    + " a bearer token"
                : "send the metrics token as `Authorization: Bearer <token>`");
  }
}
