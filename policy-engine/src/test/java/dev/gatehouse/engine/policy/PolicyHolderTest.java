package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The policy in force follows its file; a bad new file never replaces a good one. */
class PolicyHolderTest {

  private static final String BASE =
      """
      databases:
        db:
          host: 127.0.0.1
          roles:
            r: {user: r, password: "${env:PW}"}
      rules:
        - id: readers
          match: {groups: [readers]}
          grants:
            - database: db
              classes: [%s]
              read: ["app.*"]
              upstreamRole: r
      """;

  private static final PolicyLoader loader = new PolicyLoader(Map.of("PW", "x")::get);
  private static final Principal ann =
      new Principal(
          "https://i",
          "ann",
          Principal.Kind.PERSON,
          Set.of("readers"),
          null,
          Map.of(),
          Instant.MAX);

  private static Effect decide(PolicyHolder holder, String sql) {
    try (PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer()) {
      return holder
          .evaluate(
              ann,
              analyzer.analyze(sql, AnalysisContext.DEFAULT),
              new RequestContext(Channel.WIRE, "db", null, null, Instant.now()))
          .effect();
    }
  }

  @Test
  void reloadsAChangedFileAndKeepsTheOldPolicyOnABadOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, BASE.formatted("read"));
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(PolicyHolder.class)).addAppender(logs);
    try (PolicyHolder holder = new PolicyHolder(file, loader)) {
      String first = holder.policy().revision();
      assertEquals(Effect.DENY, decide(holder, "INSERT INTO app.t (a) VALUES (1)"));
      assertFalse(holder.reload(), "an unchanged file is not reloaded");

      Files.writeString(
          file,
          BASE.formatted("read, write")
              .replace("read: [\"app.*\"]", "read: [\"app.*\"]\n        write: [\"app.*\"]"));
      assertTrue(holder.reload());
      String second = holder.policy().revision();
      assertNotEquals(first, second);
      assertEquals(Effect.ALLOW, decide(holder, "INSERT INTO app.t (a) VALUES (1)"));

      Files.writeString(file, BASE.formatted("read, wrte"));
      assertFalse(holder.reload());
      assertEquals(second, holder.policy().revision(), "the policy in force stays");
      assertEquals(Effect.ALLOW, decide(holder, "INSERT INTO app.t (a) VALUES (1)"));
      String logged =
          logs.list.stream()
              .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
              .map(ILoggingEvent::getFormattedMessage)
              .findFirst()
              .orElseThrow();
      assertTrue(
          logged.contains("policy `" + file + "` line 11, field `rules[0].grants[0].classes[1]`"),
          logged);
      assertTrue(logged.contains("unknown value `wrte`"), logged);
      assertTrue(
          logged.contains("the new file is rejected and revision " + second + " stays in force"),
          logged);
    } finally {
      ((Logger) LoggerFactory.getLogger(PolicyHolder.class)).detachAppender(logs);
    }
  }

  @Test
  void theWatcherPicksUpChangesByItself(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, BASE.formatted("read"));
    try (PolicyHolder holder = new PolicyHolder(file, loader).watch(Duration.ofMillis(20))) {
      String first = holder.policy().revision();
      Files.writeString(file, BASE.formatted("read, session"));
      Eventually.holdsWithin(
          Duration.ofSeconds(10), () -> !holder.policy().revision().equals(first));
      assertNotEquals(first, holder.policy().revision());
      assertEquals(Effect.ALLOW, decide(holder, "SET application_name = 'x'"));
    }
  }
}
