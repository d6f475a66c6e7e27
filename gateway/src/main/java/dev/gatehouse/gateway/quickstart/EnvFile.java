package dev.gatehouse.gateway.quickstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gatehouse.env}: what the quickstart started, as shell variables a second terminal sources.
 * The README's tour uses exactly these names.
 */
public final class EnvFile {

  /** The file's name in the quickstart's directory. */
  public static final String NAME = "gatehouse.env";

  private EnvFile() {}

  /** The variable prefix of a principal: {@code ETL} for etl-nightly, else its subject. */
  public static String prefix(String subject) {
    // The tour calls etl-nightly "the ETL job"; every other subject is a plain word.
    return subject.equals("etl-nightly")
        ? "ETL"
        : subject.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** A libpq connection URI for {@code principal} through the wire proxy, the token as password. */
  public static String connectionUrl(Quickstart.Running r, String principal) {
    // Tokens are JWTs (base64url and dots): nothing in them needs escaping in a URI.
    return "postgresql://"
        + principal
        + ":"
        + r.tokens().get(principal)
        + "@"
        + r.wireHost()
        + ":"
        + r.wirePort()
        + "/"
        + r.database()
        + "?sslmode=disable";
  }

  /** The variables, in the order the file lists them. */
  public static Map<String, String> variables(Quickstart.Running r) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("WIRE_HOST", r.wireHost());
    v.put("WIRE_PORT", String.valueOf(r.wirePort()));
    v.put("GATEHOUSE_URL", Instructions.adminUrl(r));
    v.put("MCP_URL", Instructions.mcpUrl(r));
    v.put("CONFIG", r.config().toString());
    v.put("STDIO_CONFIG", r.stdioConfig().toString());
    for (String principal : r.tokens().keySet()) {
      v.put(prefix(principal) + "_TOKEN", r.tokens().get(principal));
      v.put(prefix(principal) + "_URL", connectionUrl(r, principal));
    }
    // The CLI's approvals commands (and mcp-stdio) read the caller's token from GATEHOUSE_TOKEN.
    v.put("GATEHOUSE_TOKEN", r.tokens().get("dba"));
    return v;
  }

  /** Writes the file into the quickstart's directory, readable by this user only. */
  public static Path write(Quickstart.Running r) throws IOException {
    StringBuilder b =
        new StringBuilder("# Written by `gatehouse quickstart`: source it in another terminal.\n")
            .append("# Tokens are valid for one hour; GATEHOUSE_TOKEN is the dba's.\n");
    variables(r)
        .forEach((k, v) -> b.append("export ").append(k).append("='").append(v).append("'\n"));
    Path file = r.directory().resolve(NAME);
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file keeps its default permissions
    }
    return file;
  }
}
