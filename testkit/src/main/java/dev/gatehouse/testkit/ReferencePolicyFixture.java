package dev.gatehouse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The reference policy of {@code corpus/README.md} as documented in {@code
 * examples/reference-policy.yaml}, with its {@code ${env:..}} references bound to the real test
 * issuer and the real test PostgreSQL's upstream roles.
 */
public final class ReferencePolicyFixture {

  /** Classpath location of the documented example. */
  public static final String RESOURCE = "examples/reference-policy.yaml";

  private ReferencePolicyFixture() {}

  /** The environment the policy reads: issuer URL, upstream host, port and role passwords. */
  public static Map<String, String> environment() {
    TestPostgres pg = TestPostgres.get();
    Map<String, String> env = new HashMap<>();
    env.put("GATEHOUSE_ISSUER_URL", TestIssuer.get().issuerUrl());
    env.put("GATEHOUSE_PG_HOST", pg.host());
    env.put("GATEHOUSE_PG_PORT", String.valueOf(pg.port()));
    env.put("GATEHOUSE_READER_PASSWORD", pg.reader().password());
    env.put("GATEHOUSE_READER_CLEARED_PASSWORD", pg.readerCleared().password());
    env.put("GATEHOUSE_WRITER_PASSWORD", pg.writer().password());
    env.put("GATEHOUSE_OWNER_PASSWORD", pg.owner().password());
    return Map.copyOf(env);
  }

  /** The policy's text. */
  public static String text() {
    return TestPostgres.readResource(RESOURCE);
  }

  /**
   * Writes the policy to {@code file} (the policy engine reads and watches files, and the classpath
   * copy may sit inside a jar) and returns it.
   */
  public static Path writeTo(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, text(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the reference policy to " + file, e);
    }
  }
}
