package dev.gatehouse.testkit.issuer;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OAuth 2.0 Dynamic Client Registration (RFC 7591) for the quickstart issuer: MCP clients register
 * themselves before the authorization-code flow. Only public clients are registered (token endpoint
 * auth method {@code none}, PKCE required at the authorization endpoint), as MCP clients are: a
 * desktop app or a CLI cannot keep a secret.
 */
public final class ClientRegistry {

  /** A registered client: its id and the redirect URIs it may use. */
  public record Client(String clientId, List<String> redirectUris) {}

  /** A registration the registry refuses, with the RFC 7591 §3.2.2 error code. */
  public static final class RegistrationException extends Exception {
    private final String error;

    RegistrationException(String error, String description) {
      super(description);
      this.error = error;
    }

    public String error() {
      return error;
    }
  }

  // A local issuer, but anyone on the machine can register: a bound keeps memory bounded.
  private static final int MAX_CLIENTS = 1000;
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  private static final Set<String> REFUSED_SCHEMES =
      Set.of("javascript", "data", "file", "vbscript");

  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** The client registered under {@code clientId}, or null. */
  public Client find(String clientId) {
    return clientId == null ? null : clients.get(clientId);
  }

  /**
   * Registers a client from its metadata (the JSON request body) and returns the response body (RFC
   * 7591 §3.2.1): the metadata as registered, with the server's replacements.
   */
  public Map<String, Object> register(Map<String, Object> metadata) throws RegistrationException {
    if (clients.size() >= MAX_CLIENTS) {
      throw new RegistrationException(
          "invalid_client_metadata", "the registry is full; restart the quickstart");
    }
    List<String> redirects = redirectUris(metadata.get("redirect_uris"));
    Object responseTypes = metadata.getOrDefault("response_types", List.of("code"));
    if (!(responseTypes instanceof List<?> rt) || !rt.equals(List.of("code"))) {
      throw new RegistrationException(
          "invalid_client_metadata", "`response_types` must be [\"code\"]");
    }
    Object grantTypes = metadata.getOrDefault("grant_types", List.of("authorization_code"));
    if (!(grantTypes instanceof List<?> gt)
        || !gt.contains("authorization_code")
        || !Set.of("authorization_code", "refresh_token").containsAll(gt)) {
      throw new RegistrationException(
          "invalid_client_metadata",
          "`grant_types` must hold `authorization_code` and may hold `refresh_token`");
    }
    String clientId = "mcp-" + HexFormat.of().formatHex(bytes(16));
    clients.put(clientId, new Client(clientId, redirects));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("client_id", clientId);
    out.put("client_id_issued_at", Instant.now().getEpochSecond());
    out.put("redirect_uris", redirects);
    // Public clients only: a requested secret-based method is replaced (RFC 7591 §3.2.1 lets
    // the server replace metadata), and PKCE protects the code instead.
    out.put("token_endpoint_auth_method", "none");
    out.put("grant_types", gt);
    out.put("response_types", List.of("code"));
    for (String copied : List.of("client_name", "client_uri", "scope", "software_id")) {
      if (metadata.get(copied) instanceof String s) {
        out.put(copied, s);
      }
    }
    return out;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static List<String> redirectUris(Object value) throws RegistrationException {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new RegistrationException(
          "invalid_redirect_uri", "`redirect_uris` is missing; list at least one");
    }
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new RegistrationException("invalid_redirect_uri", "`redirect_uris` holds a non-text");
      }
      checkRedirect(s);
    }
    return list.stream().map(String.class::cast).toList();
  }

  /** https anywhere, http on loopback only (RFC 8252 §7.3), or an app's private-use scheme. */
  private static void checkRedirect(String s) throws RegistrationException {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new RegistrationException("invalid_redirect_uri", "`" + s + "` is not a URI");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    boolean ok =
        uri.isAbsolute()
            && uri.getFragment() == null
            && switch (scheme) {
              case "https" -> uri.getHost() != null;
              case "http" -> uri.getHost() != null && LOOPBACK.contains(uri.getHost());
              default -> !REFUSED_SCHEMES.contains(scheme);
            };
    if (!ok) {
      throw new RegistrationException(
          "invalid_redirect_uri",
          "`"
              + s
              + "` is not a redirect URI this issuer accepts: use https, http on a loopback"
              + " address, or an app's own scheme, without a fragment");
    }
  }
}
