package dev.gatehouse.mcp.auth;

import dev.gatehouse.mcp.config.McpServerConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The URLs clients see: the MCP endpoint (the protected resource) and its metadata document. Behind
 * a gateway or reverse proxy they come from {@code X-Forwarded-Proto/Host/Port/Prefix} or {@code
 * Forwarded}, unless a canonical resource URL is configured. Forwarded values are checked strictly,
 * since they end up in a response header.
 */
public final class ResourceUrls {

  static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

  private static final Pattern HOST =
      Pattern.compile("^(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?$");
  private static final Pattern PORT = Pattern.compile("^\\d{1,5}$");
  private static final Pattern PREFIX = Pattern.compile("^(?:/[A-Za-z0-9._~-]+)*$");

  private final McpServerConfig config;

  public ResourceUrls(McpServerConfig config) {
    this.config = config;
  }

  /** The resource identifier of the MCP endpoint (RFC 9728 {@code resource}). */
  public URI resource(HttpServletRequest request) {
    if (config.resourceUrl() != null) {
      return config.resourceUrl();
    }
    return URI.create(origin(request) + prefix(request) + config.endpoint());
  }

  /** Where the resource's metadata is: the well-known path inserted before the resource path. */
  public URI metadata(HttpServletRequest request) {
    URI resource = resource(request);
    String path = resource.getRawPath() == null ? "" : resource.getRawPath();
    String authority = resource.getRawAuthority();
    return URI.create(resource.getScheme() + "://" + authority + WELL_KNOWN + path);
  }

  private static String origin(HttpServletRequest request) {
    String proto = null;
    String host = null;
    String forwarded = request.getHeader("Forwarded");
    if (forwarded != null) {
      String first = forwarded.split(",", 2)[0];
      for (String pair : first.split(";")) {
        String[] kv = pair.trim().split("=", 2);
        if (kv.length == 2) {
          String value = kv[1].trim().replace("\"", "");
          switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
            case "proto" -> proto = value;
            case "host" -> host = value;
            default -> {
              // for= and by= say nothing about the URL
            }
          }
        }
      }
    }
    proto = proto == null ? firstValue(request.getHeader("X-Forwarded-Proto")) : proto;
    host = host == null ? firstValue(request.getHeader("X-Forwarded-Host")) : host;
    String port = firstValue(request.getHeader("X-Forwarded-Port"));
    if (proto == null || !(proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) {
      proto = request.getScheme();
    }
    proto = proto.toLowerCase(Locale.ROOT);
    if (host == null || !HOST.matcher(host).matches()) {
      host = request.getServerName() + portSuffix(proto, request.getServerPort());
      if (host.contains(":")
          && !host.startsWith("[")
          && host.indexOf(':') != host.lastIndexOf(':')) {
        host = "[" + request.getServerName() + "]" + portSuffix(proto, request.getServerPort());
      }
    } else if (port != null
        && PORT.matcher(port).matches()
        && !host.contains("]:")
        && !(host.contains(":") && !host.startsWith("["))) {
      host = host + portSuffix(proto, Integer.parseInt(port));
    }
    return proto + "://" + host;
  }

  private static String prefix(HttpServletRequest request) {
    String prefix = firstValue(request.getHeader("X-Forwarded-Prefix"));
    if (prefix == null) {
      return "";
    }
    prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return PREFIX.matcher(prefix).matches() ? prefix : "";
  }

  private static String portSuffix(String proto, int port) {
    boolean standard =
        (proto.equals("https") && port == 443) || (proto.equals("http") && port == 80);
    return standard || port <= 0 ? "" : ":" + port;
  }

  private static String firstValue(String header) {
    if (header == null) {
      return null;
    }
    String first = header.split(",", 2)[0].trim();
    return first.isEmpty() ? null : first;
  }
}
