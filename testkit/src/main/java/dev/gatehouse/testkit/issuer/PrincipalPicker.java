package dev.gatehouse.testkit.issuer;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * The quickstart issuer's sign-in for registered (MCP) clients: the authorization request must use
 * a registered redirect URI and PKCE with S256 (OAuth 2.1), and the user picks one of the
 * principals offered; the chosen one's {@code sub} and claims (groups, email, name) go into the
 * token. The form posts to the mock's own authorization endpoint, which issues the code.
 */
public final class PrincipalPicker {

  /** A principal the page offers: its {@code sub} and the claims its token carries. */
  public record Person(String subject, Map<String, Object> claims) {}

  private final List<Person> people;

  public PrincipalPicker(List<Person> people) {
    this.people = List.copyOf(people);
  }

  /** True when a POSTed sign-in is well formed and names an offered principal with its claims. */
  boolean soundSignIn(OAuth2HttpRequest request, ClientRegistry.Client client) {
    if (problem(request.getUrl(), client) != null) {
      return false;
    }
    OAuth2HttpRequest.Parameters form = request.getFormParameters();
    Person p = person(form.get("username"));
    if (p == null || form.get("claims") == null) {
      return false;
    }
    try {
      return JSONObjectUtils.parse(form.get("claims")).equals(p.claims());
    } catch (ParseException e) {
      return false;
    }
  }

  /** The sign-in page, or the error for a request it cannot serve. */
  OAuth2HttpResponse authorize(OAuth2HttpRequest request, ClientRegistry.Client client) {
    HttpUrl url = request.getUrl();
    String redirect = url.queryParameter("redirect_uri");
    if (redirect == null || !client.redirectUris().contains(redirect)) {
      // RFC 6749 §4.1.2.1: never redirect to an unregistered URI; tell the user instead.
      return page(400, "<p>The redirect URI is not one this client registered.</p>");
    }
    String problem = problem(url, client);
    if (problem != null) {
      HttpUrl.Builder back = HttpUrl.get(redirect).newBuilder();
      back.addQueryParameter("error", "invalid_request");
      back.addQueryParameter("error_description", problem);
      if (url.queryParameter("state") != null) {
        back.addQueryParameter("state", url.queryParameter("state"));
      }
      return new OAuth2HttpResponse(
          Headers.of("Location", back.build().toString()), 302, "", new byte[0]);
    }
    if (request.getMethod().equals("POST")) {
      return page(400, "<p>Pick one of the principals offered.</p>");
    }
    // The mock parses the request as OpenID Connect, which needs the `openid` scope.
    String scope = url.queryParameter("scope");
    String withOpenid =
        scope == null || scope.isBlank()
            ? "openid"
            : List.of(scope.split(" ")).contains("openid") ? scope : "openid " + scope;
    HttpUrl action = url.newBuilder().setQueryParameter("scope", withOpenid).build();
    String target = action.encodedPath() + "?" + action.encodedQuery();
    StringBuilder body = new StringBuilder();
    body.append("<p>Sign in to the Gatehouse quickstart issuer as one of the reference principals.")
        .append(" The token names the principal (<code>sub</code>) and its groups.</p>\n");
    for (Person p : people) {
      body.append("<form method=\"post\" action=\"")
          .append(escape(target))
          .append("\">")
          .append("<input type=\"hidden\" name=\"username\" value=\"")
          .append(escape(p.subject()))
          .append("\"><input type=\"hidden\" name=\"claims\" value=\"")
          .append(escape(JSONObjectUtils.toJSONString(new LinkedHashMap<>(p.claims()))))
          .append("\"><button type=\"submit\">")
          .append(escape(p.subject()))
          .append(" (")
          .append(escape(String.valueOf(p.claims().get("groups"))))
          .append(")</button></form>\n");
    }
    return page(200, body.toString());
  }

  private Person person(String subject) {
    return people.stream().filter(p -> p.subject().equals(subject)).findFirst().orElse(null);
  }

  /** What is wrong with an authorization request of a registered client, or null. */
  private static String problem(HttpUrl url, ClientRegistry.Client client) {
    String redirect = url.queryParameter("redirect_uri");
    if (redirect == null || !client.redirectUris().contains(redirect)) {
      return "redirect_uri is not registered for this client";
    }
    if (!"code".equals(url.queryParameter("response_type"))) {
      return "response_type must be code";
    }
    if (url.queryParameter("code_challenge") == null
        || !"S256".equals(url.queryParameter("code_challenge_method"))) {
      return "PKCE with code_challenge_method S256 is required";
    }
    return null;
  }

  private static OAuth2HttpResponse page(int status, String body) {
    String html =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>Sign in: Gatehouse quickstart issuer</title></head><body><main>"
            + "<h1>Sign in</h1>"
            + body
            + "</main></body></html>";
    return new OAuth2HttpResponse(
        Headers.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store"),
        status,
        html,
        html.getBytes(StandardCharsets.UTF_8));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
