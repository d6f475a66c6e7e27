package dev.gatehouse.gateway.console;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Approvers;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Rule;
import dev.gatehouse.gateway.audit.AuditReaders;
import dev.gatehouse.gateway.web.WebBeans;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.ResponseCookie;

/**
 * Who the browser is: the session cookie, the session behind it, and what the policy in force lets
 * that principal do. Every console handler starts here; nothing is decided from the browser.
 */
final class ConsoleAccess {

  static final String SESSION_COOKIE = "gatehouse_console";
  static final String LOGIN_COOKIE = "gatehouse_console_login";

  private final WebBeans beans;
  private final Sessions sessions = new Sessions();
  private final OidcClient oidc = new OidcClient();

  ConsoleAccess(WebBeans beans) {
    this.beans = beans;
  }

  WebBeans beans() {
    return beans;
  }

  Sessions sessions() {
    return sessions;
  }

  OidcClient oidc() {
    return oidc;
  }

  /** False when the gateway runs without a console. */
  boolean enabled() {
    return beans.console() != null;
  }

  Optional<Viewer> viewer(HttpServletRequest http) {
    return sessions
        .find(cookie(http, SESSION_COOKIE), Instant.now())
        .map(s -> viewer(s, beans.policy().policy()));
  }

  static Viewer viewer(Sessions.Session s, Policy policy) {
    Principal p = s.principal();
    boolean auditor = policy.approvers().includes(p);
    boolean approver = auditor;
    for (Rule r : policy.rules()) {
      Approvers a = r.approvers();
      approver |= a != null && a.includes(p);
    }
    return new Viewer(s, approver, auditor, AuditReaders.cleared(policy, p));
  }

  /** True when the form carries the session's synchronizer token. */
  static boolean csrfOk(Viewer v, HttpServletRequest http) {
    return Sessions.same(v.session().csrf(), http.getParameter("_csrf"));
  }

  RequestContext context(HttpServletRequest http) {
    return new RequestContext(
        Channel.CLI,
        beans.mcp().database(),
        "gatehouse-console",
        http.getRemoteAddr(),
        Instant.now());
  }

  static String cookie(HttpServletRequest http, String name) {
    Cookie[] cookies = http.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (c.getName().equals(name)) {
        return c.getValue();
      }
    }
    return null;
  }

  /** The session cookie: not readable by script, sent only to the console, same-site only. */
  static String sessionCookie(HttpServletRequest http, String value, Duration maxAge) {
    return ResponseCookie.from(SESSION_COOKIE, value)
        .path("/console")
        .httpOnly(true)
        .secure(http.isSecure())
        .sameSite("Strict")
        .maxAge(maxAge)
        .build()
        .toString();
  }

  /**
   * The sign-in cookie binds the issuer's callback to the browser that started it. It is Lax: the
   * callback is a top-level navigation from the issuer, which a Strict cookie would miss.
   */
  static String loginCookie(HttpServletRequest http, String value, Duration maxAge) {
    return ResponseCookie.from(LOGIN_COOKIE, value)
        .path("/console")
        .httpOnly(true)
        .secure(http.isSecure())
        .sameSite("Lax")
        .maxAge(maxAge)
        .build()
        .toString();
  }
}
