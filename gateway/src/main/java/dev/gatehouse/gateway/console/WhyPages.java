package dev.gatehouse.gateway.console;

import static dev.gatehouse.gateway.console.Html.esc;

import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.gateway.check.CheckSupport;
import dev.gatehouse.testkit.ReferencePrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Why": the policy's decision on a statement for a principal, printed exactly as {@code policy
 * check} prints it (the same code), without running anything. Everyone may ask for themselves or
 * for a token they hold; auditors may also ask for the reference principals.
 */
@RestController
class WhyPages {

  private static final int MAX_SQL = 100_000;

  private final ConsoleAccess access;

  WhyPages(ConsoleAccess access) {
    this.access = access;
  }

  @GetMapping("/console/why")
  ResponseEntity<String> form(HttpServletRequest http) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    return Html.ok(Html.page("Policy why", v, form(v, "self", "", "", null)));
  }

  @PostMapping("/console/why")
  ResponseEntity<String> check(
      HttpServletRequest http,
      @RequestParam(name = "principal", defaultValue = "self") String who,
      @RequestParam(name = "token", defaultValue = "") String token,
      @RequestParam(name = "database", defaultValue = "") String database,
      @RequestParam(name = "sql", defaultValue = "") String sql) {
    Optional<Viewer> found = access.viewer(http);
    if (found.isEmpty()) {
      return Html.redirect("/console");
    }
    Viewer v = found.get();
    if (!ConsoleAccess.csrfOk(v, http)) {
      return Html.problem(403, "Refused", v, "the form is stale; reload the page");
    }
    Policy policy = access.beans().policy().policy();
    String out;
    int status = 200;
    try {
      if (sql.isBlank() || sql.length() > MAX_SQL) {
        throw new IllegalArgumentException("type a statement (at most 100000 characters)");
      }
      String db = database.isBlank() ? access.beans().mcp().database() : database.strip();
      if (!policy.databases().containsKey(db)) {
        throw new IllegalArgumentException("database `" + db + "` is not in the policy");
      }
      Principal principal = principal(http, v, policy, who, token);
      try (PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer()) {
        Analysis analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
        RequestContext context =
            new RequestContext(Channel.CLI, db, "gatehouse-console-why", null, Instant.now());
        Decision d = new RulePolicyEvaluator(policy).evaluate(principal, analysis, context);
        StringWriter text = new StringWriter();
        CheckSupport.print(new PrintWriter(text), principal, analysis, d);
        out =
            "<h2>Decision</h2><pre class=\"check\" data-effect=\""
                + esc(d.effect())
                + "\">"
                + esc(text)
                + "</pre>";
      }
    } catch (IllegalArgumentException | AuthenticationException e) {
      status = 400;
      out = "<p class=\"problem\" role=\"alert\">" + esc(e.getMessage()) + "</p>";
    }
    return Html.status(status, Html.page("Policy why", v, form(v, who, database, sql, out)));
  }

  private Principal principal(
      HttpServletRequest http, Viewer v, Policy policy, String who, String token)
      throws AuthenticationException {
    if (!token.isBlank()) {
      return access.beans().gate().authenticate(token.strip(), access.context(http));
    }
    if (who.equals("self")) {
      return v.principal();
    }
    if (!v.auditor()) {
      throw new IllegalArgumentException("only the policy's approvers may ask for someone else");
    }
    return CheckSupport.referencePrincipal(policy, who);
  }

  private static String form(Viewer v, String who, String database, String sql, String result) {
    StringBuilder b =
        new StringBuilder("<form class=\"why\" method=\"post\" action=\"/console/why\">")
            .append(Html.csrf(v))
            .append("<div><label for=\"principal\">Principal</label><select id=\"principal\"")
            .append(" name=\"principal\">")
            .append(option("self", "yourself (" + v.principal().subject() + ")", who));
    if (v.auditor()) {
      for (ReferencePrincipal p : ReferencePrincipal.values()) {
        b.append(option(p.subject(), p.subject() + " (reference principal)", who));
      }
    }
    b.append("</select></div><div><label for=\"token\">Or paste a token</label>")
        .append("<textarea id=\"token\" name=\"token\" rows=\"2\" autocomplete=\"off\"></textarea>")
        .append("</div><div><label for=\"database\">Database</label><input type=\"text\"")
        .append(" id=\"database\" name=\"database\" value=\"")
        .append(esc(database))
        .append("\" placeholder=\"the MCP database\"></div><div class=\"wide\"><label for=\"sql\">")
        .append("SQL</label><textarea id=\"sql\" name=\"sql\" rows=\"5\" required>")
        .append(esc(sql))
        .append("</textarea></div><div><button type=\"submit\">Ask the policy")
        .append("</button></div></form><p class=\"muted\">Nothing runs: the statement is analysed")
        .append(" and decided only.</p>");
    if (result != null) {
      b.append(result);
    }
    return b.toString();
  }

  private static String option(String value, String label, String selected) {
    return "<option value=\""
        + esc(value)
        + "\""
        + (value.equals(selected) ? " selected" : "")
        + ">"
        + esc(label)
        + "</option>";
  }
}
