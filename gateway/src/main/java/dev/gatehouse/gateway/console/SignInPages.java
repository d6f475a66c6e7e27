package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.Html.esc;

import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.IssuerConfig;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Policy;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signing in and out: authorization code with PKCE against the policy's first issuer; the ID token
 * is verified by the engine's token verifier, exactly as a bearer token on the wire is.
 */
@RestController
class SignInPages {

  private static final Logger log = LoggerFactory.getLogger(SignInPages.class);

  private final ConsoleAccess access;

  SignInPages(ConsoleAccess access) {
    this.access = access;
  }

  @GetMapping({"/console", "/console/"})
  ResponseEntity<String> home(HttpServletRequest http) {
    if (!access.enabled()) {
      return Html.status(404, "the console is off");
    }
    Optional<Viewer> v = access.viewer(http);
    if (v.isEmpty()) {
      return Html.ok(
          Html.page(
              "Sign in",
              null,
              "<p>Approvals, the audit trail and access reviews of this gateway. Sign in with"
                  + " your organisation's identity provider; what you may see and do is decided by"
                  + " the gateway's policy.</p><p><a class=\"button\" href=\"/console/login\">"
                  + "Sign in</a></p>"));
    }
    Viewer viewer = v.get();
    StringBuilder b = new StringBuilder("<ul class=\"cards\">");
    if (viewer.approver()) {
      b.append(card("/console/approvals", "Approvals", "Statements waiting for your decision."));
    }
    b.append(card("/console/requests", "My requests", "Your own statements that wait."));
    b.append(
        card(
            "/console/audit",
            viewer.auditor() ? "Audit" : "My audit trail",
            viewer.auditor() ? "Search the whole trail." : "What you ran, as the trail has it."));
    if (viewer.auditor()) {
      b.append(card("/console/review", "Access review", "Who touched what, with charts."));
    }
    b.append(card("/console/why", "Policy why", "Ask the policy about a statement."));
    b.append("</ul><p>Groups: ")
        .append(Html.list(new java.util.TreeSet<>(viewer.principal().groups())))
        .append("</p>");
    return Html.ok(Html.page("Gatehouse", viewer, b.toString()));
  }

  private static String card(String href, String title, String text) {
    return "<li><a href=\"" + href + "\">" + esc(title) + "</a><p>" + esc(text) + "</p></li>";
  }

  @GetMapping("/console/login")
  ResponseEntity<String> login(HttpServletRequest http) {
    if (!access.enabled()) {
      return Html.status(404, "the console is off");
    }
    IssuerConfig issuer;
    try {
      issuer = issuer(access.beans().policy().policy());
      OidcClient.Endpoints e = access.oidc().endpoints(issuer);
      Sessions.Login login = access.sessions().begin(Instant.now());
      String url = OidcClient.authorizationUrl(e, issuer.audiences().get(0), redirect(http), login);
      return ResponseEntity.status(303)
          .header("Location", url)
          .header("Set-Cookie", ConsoleAccess.loginCookie(http, login.state(), Sessions.LOGIN_TIME))
          .build();
    } catch (IOException | IllegalStateException e) {
      return Html.problem(503, "Sign-in unavailable", null, e.getMessage());
    }
  }

  @GetMapping("/console/callback")
  ResponseEntity<String> callback(
      HttpServletRequest http,
      @RequestParam(name = "code", required = false) String code,
      @RequestParam(name = "state", required = false) String state,
      @RequestParam(name = "error", required = false) String error) {
    if (!access.enabled()) {
      return Html.status(404, "the console is off");
    }
    if (error != null) {
      return Html.problem(401, "Not signed in", null, "the issuer answered `" + error + "`");
    }
    // The state must be the one this browser was sent off with (its sign-in cookie), once.
    String bound = ConsoleAccess.cookie(http, ConsoleAccess.LOGIN_COOKIE);
    Optional<Sessions.Login> login =
        Sessions.same(bound, state)
            ? access.sessions().take(state, Instant.now())
            : Optional.empty();
    if (login.isEmpty() || code == null) {
      return Html.problem(
          400, "Not signed in", null, "this sign-in is unknown or expired; sign in again");
    }
    Principal principal;
    try {
      IssuerConfig issuer = issuer(access.beans().policy().policy());
      OidcClient.Endpoints e = access.oidc().endpoints(issuer);
      String idToken =
          access
              .oidc()
              .exchange(e, issuer.audiences().get(0), redirect(http), code, login.get().verifier());
      principal = access.beans().gate().authenticate(idToken, access.context(http));
    } catch (AuthenticationException e) {
      log.info("console sign-in refused: {}", e.getMessage());
      return Html.problem(401, "Not signed in", null, e.getMessage());
    } catch (IOException | IllegalStateException e) {
      return Html.problem(503, "Sign-in unavailable", null, e.getMessage());
    }
    if (!Sessions.same(login.get().nonce(), String.valueOf(principal.claim("nonce")))) {
      return Html.problem(401, "Not signed in", null, "the id token is not for this sign-in");
    }
    Sessions.Session s = access.sessions().open(principal, Instant.now());
    log.info("console sign-in: {}", principal.label());
    // A page rather than a redirect: after a navigation that started at the issuer (another site)
    // the browser holds back the Strict session cookie; a navigation this page's script starts is
    // same-site, and so is a click on its link.
    return ResponseEntity.status(200)
        .header(
            "Set-Cookie",
            ConsoleAccess.sessionCookie(
                http, s.id(), Duration.between(Instant.now(), s.expiresAt())))
        .header("Set-Cookie", ConsoleAccess.loginCookie(http, "", Duration.ZERO))
        .header("Content-Type", "text/html;charset=UTF-8")
        .header("Cache-Control", "no-store")
        .body(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Signed in · Gatehouse console</title>"
                + "<link rel=\"stylesheet\" href=\"/console/static/console.css\">"
                + "<script src=\"/console/static/console.js\" defer></script></head><body><main>"
                + "<p>Signed in as "
                + esc(principal.subject())
                + ". <a href=\"/console\" data-continue>Continue to the console</a></p>"
                + "</main></body></html>");
  }

  @PostMapping("/console/logout")
  ResponseEntity<String> logout(HttpServletRequest http) {
    Optional<Viewer> v = access.viewer(http);
    if (v.isPresent()) {
      if (!ConsoleAccess.csrfOk(v.get(), http)) {
        return Html.problem(403, "Refused", v.get(), "the form is stale; reload the page");
      }
      access.sessions().close(v.get().session().id());
    }
    return ResponseEntity.status(303)
        .header("Location", "/console")
        .header("Set-Cookie", ConsoleAccess.sessionCookie(http, "", Duration.ZERO))
        .build();
  }

  private static IssuerConfig issuer(Policy policy) {
    if (policy.issuers().isEmpty() || policy.issuers().get(0).audiences().isEmpty()) {
      throw new IllegalStateException(
          "the console signs in with the policy's first issuer, and it has none with an audience");
    }
    return policy.issuers().get(0);
  }

  /** The callback address as the browser reached this server. */
  private static String redirect(HttpServletRequest http) {
    String scheme = http.isSecure() ? "https" : "http";
    String host = http.getHeader("Host");
    if (host == null || !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      host = http.getServerName() + ":" + http.getServerPort();
    }
    return scheme + "://" + host + "/console/callback";
  }
}
