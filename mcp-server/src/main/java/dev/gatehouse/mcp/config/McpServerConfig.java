package dev.gatehouse.mcp.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the MCP front end, validated and defaulted here and nowhere else; immutable once
 * the server starts.
 *
 * @param database the logical database the tools read (a name the policy configures)
 * @param endpoint the streamable HTTP endpoint path, {@code /mcp} by default
 * @param stateless serve streamable HTTP without sessions (any instance answers any request; no
 *     progress notifications, approvals resume by {@code approval_id} only)
 * @param resourceUrl the canonical URL of the MCP endpoint as clients see it, or null to derive it
 *     from each request (honouring {@code X-Forwarded-Proto/Host/Port/Prefix})
 * @param authorizationServers issuer URLs named in the Protected Resource Metadata
 * @param scopes scopes advertised in the metadata and the {@code WWW-Authenticate} challenge; may
 *     be empty
 * @param maxRows the most rows a {@code query} returns, whatever the caller asks
 * @param defaultRows the rows returned when the caller gives no {@code max_rows}
 * @param maxCellChars a cell's text longer than this is cut (and the result marked truncated)
 * @param approvalWait how long a call that needs approval waits before it returns an approval id
 * @param progressInterval how often a waiting call reports progress
 * @param defaultStatementTimeout the upstream timeout when the decision sets none
 * @param poolSize upstream connections per (database, upstream role)
 * @param poolConnectionTimeout how long a call waits for an upstream connection
 * @param serverName the name the server reports in {@code initialize}
 * @param sessionIdleTimeout an MCP session with no request for this long ends (streamable HTTP)
 * @param sessionMaxLifetime an MCP session ends this long after it began however busy it is, or
 *     {@link Duration#ZERO} for no such bound
 */
public record McpServerConfig(
    String database,
    String endpoint,
    boolean stateless,
    URI resourceUrl,
    List<URI> authorizationServers,
    List<String> scopes,
    int maxRows,
    int defaultRows,
    int maxCellChars,
    Duration approvalWait,
    Duration progressInterval,
    Duration defaultStatementTimeout,
    int poolSize,
    Duration poolConnectionTimeout,
    String serverName,
    Duration sessionIdleTimeout,
    Duration sessionMaxLifetime) {

  public static final String DEFAULT_ENDPOINT = "/mcp";
  public static final int DEFAULT_MAX_ROWS = 1000;
  public static final int DEFAULT_ROWS = 100;
  public static final int DEFAULT_MAX_CELL_CHARS = 10_000;
  public static final Duration DEFAULT_APPROVAL_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_POOL_SIZE = 4;
  public static final Duration DEFAULT_POOL_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);

  /** Fills defaults for absent values and refuses bad ones, naming the field. */
  public McpServerConfig {
    List<String> problems = new ArrayList<>();
    if (database == null || database.isBlank()) {
      problems.add("`database` is required: name the logical database the tools read");
    }
    endpoint = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint;
    if (!endpoint.startsWith("/") || endpoint.length() < 2 || endpoint.endsWith("/")) {
      problems.add("`endpoint` must be a path like `/mcp`, got `" + endpoint + "`");
    }
    if (resourceUrl != null && !isHttpUrl(resourceUrl)) {
      problems.add("`resource-url` must be an absolute http(s) URL, got `" + resourceUrl + "`");
    }
    authorizationServers =
        authorizationServers == null ? List.of() : List.copyOf(authorizationServers);
    if (authorizationServers.isEmpty()) {
      problems.add("`authorization-servers` needs at least one issuer URL");
    }
    for (URI issuer : authorizationServers) {
      if (!isHttpUrl(issuer)) {
        problems.add("`authorization-servers` entry `" + issuer + "` is not an http(s) URL");
      }
    }
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    for (String scope : scopes) {
      if (scope.isBlank() || scope.contains(" ") || scope.contains("\"")) {
        problems.add("`scopes` entry `" + scope + "` is not a valid scope token");
      }
    }
    maxRows = maxRows == 0 ? DEFAULT_MAX_ROWS : maxRows;
    defaultRows = defaultRows == 0 ? Math.min(DEFAULT_ROWS, maxRows) : defaultRows;
    maxCellChars = maxCellChars == 0 ? DEFAULT_MAX_CELL_CHARS : maxCellChars;
    requirePositive(problems, "max-rows", maxRows);
    requirePositive(problems, "default-rows", defaultRows);
    requirePositive(problems, "max-cell-chars", maxCellChars);
    if (defaultRows > maxRows) {
      problems.add("`default-rows` (" + defaultRows + ") exceeds `max-rows` (" + maxRows + ")");
    }
    approvalWait = orDefault(approvalWait, DEFAULT_APPROVAL_WAIT);
    progressInterval = orDefault(progressInterval, DEFAULT_PROGRESS_INTERVAL);
    defaultStatementTimeout = orDefault(defaultStatementTimeout, DEFAULT_STATEMENT_TIMEOUT);
    poolConnectionTimeout = orDefault(poolConnectionTimeout, DEFAULT_POOL_CONNECTION_TIMEOUT);
    if (approvalWait.isNegative()) {
      problems.add("`approval-wait` must not be negative");
    }
    requirePositive(problems, "progress-interval", progressInterval);
    requirePositive(problems, "default-statement-timeout", defaultStatementTimeout);
    requirePositive(problems, "pool-connection-timeout", poolConnectionTimeout);
    poolSize = poolSize == 0 ? DEFAULT_POOL_SIZE : poolSize;
    requirePositive(problems, "pool-size", poolSize);
    serverName = serverName == null || serverName.isBlank() ? "gatehouse" : serverName;
    sessionIdleTimeout = orDefault(sessionIdleTimeout, DEFAULT_SESSION_IDLE_TIMEOUT);
    // No "never": a session its client forgets would hold its owner's quota place for good.
    if (sessionIdleTimeout.isZero() || sessionIdleTimeout.isNegative()) {
      problems.add(
          "`session-idle-timeout` must be longer than 0, got `"
              + human(sessionIdleTimeout)
              + "`: an MCP session its client forgets must end");
    }
    sessionMaxLifetime = orDefault(sessionMaxLifetime, Duration.ZERO);
    if (sessionMaxLifetime.isNegative()) {
      problems.add(
          "`session-max-lifetime` must not be negative, got `"
              + human(sessionMaxLifetime)
              + "` (0 means no bound)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid mcp configuration: " + String.join("; ", problems));
    }
  }

  /** A configuration with every optional value defaulted. */
  public static McpServerConfig of(String database, List<URI> authorizationServers) {
    return builder(database, authorizationServers).build();
  }

  public static Builder builder(String database, List<URI> authorizationServers) {
    return new Builder(database, authorizationServers);
  }

  /** The Protected Resource Metadata path for this endpoint (RFC 9728 section 3.1). */
  public String metadataPath() {
    return "/.well-known/oauth-protected-resource" + endpoint;
  }

  private static boolean isHttpUrl(URI uri) {
    return uri.isAbsolute()
        && uri.getHost() != null
        && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
  }

  /** A duration as the YAML writes it: {@code 30s}, {@code 1500ms}. */
  static String human(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  private static Duration orDefault(Duration value, Duration fallback) {
    return value == null ? fallback : value;
  }

  private static void requirePositive(List<String> problems, String field, long value) {
    if (value <= 0) {
      problems.add("`" + field + "` must be positive, got " + value);
    }
  }

  private static void requirePositive(List<String> problems, String field, Duration value) {
    if (value.isZero() || value.isNegative()) {
      problems.add("`" + field + "` must be positive, got " + value);
    }
  }

  /** Builds a configuration; unset values take their defaults. */
  public static final class Builder {
    private final String database;
    private final List<URI> authorizationServers;
    private String endpoint;
    private boolean stateless;
    private URI resourceUrl;
    private List<String> scopes = List.of();
    private int maxRows;
    private int defaultRows;
    private int maxCellChars;
    private Duration approvalWait;
    private Duration progressInterval;
    private Duration defaultStatementTimeout;
    private int poolSize;
    private Duration poolConnectionTimeout;
    private String serverName;
    private Duration sessionIdleTimeout;
    private Duration sessionMaxLifetime;

    private Builder(String database, List<URI> authorizationServers) {
      this.database = database;
      this.authorizationServers = Objects.requireNonNullElse(authorizationServers, List.of());
    }

    public Builder endpoint(String value) {
      endpoint = value;
      return this;
    }

    public Builder stateless(boolean value) {
      stateless = value;
      return this;
    }

    public Builder resourceUrl(URI value) {
      resourceUrl = value;
      return this;
    }

    public Builder scopes(List<String> value) {
      scopes = value;
      return this;
    }

    public Builder maxRows(int value) {
      maxRows = value;
      return this;
    }

    public Builder defaultRows(int value) {
      defaultRows = value;
      return this;
    }

    public Builder maxCellChars(int value) {
      maxCellChars = value;
      return this;
    }

    public Builder approvalWait(Duration value) {
      approvalWait = value;
      return this;
    }

    public Builder progressInterval(Duration value) {
      progressInterval = value;
      return this;
    }

    public Builder defaultStatementTimeout(Duration value) {
      defaultStatementTimeout = value;
      return this;
    }

    public Builder poolSize(int value) {
      poolSize = value;
      return this;
    }

    public Builder poolConnectionTimeout(Duration value) {
      poolConnectionTimeout = value;
      return this;
    }

    public Builder serverName(String value) {
      serverName = value;
      return this;
    }

    public Builder sessionIdleTimeout(Duration value) {
      sessionIdleTimeout = value;
      return this;
    }

    public Builder sessionMaxLifetime(Duration value) {
      sessionMaxLifetime = value;
      return this;
    }

    public McpServerConfig build() {
      return new McpServerConfig(
          database,
          endpoint,
          stateless,
          resourceUrl,
          authorizationServers,
          scopes,
          maxRows,
          defaultRows,
          maxCellChars,
          approvalWait,
          progressInterval,
          defaultStatementTimeout,
          poolSize,
          poolConnectionTimeout,
          serverName,
          sessionIdleTimeout,
          sessionMaxLifetime);
    }
  }
}
