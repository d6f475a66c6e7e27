package dev.gatehouse.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config validate} reports every unset variable of the example config in one run. */
class ConfigValidateTest {

  @TempDir Path dir;

  @Test
  void theExampleConfigWithoutEnvironmentListsEveryMissingVariableAtOnce() throws Exception {
    Path example = Path.of("..", "examples", "gatehouse.yaml");
    List<EnvReferences.Reference> refs =
        new java.util.ArrayList<>(EnvReferences.scan(example, name -> null));
    refs.addAll(
        EnvReferences.scan(Path.of("..", "examples", "reference-policy.yaml"), name -> null));
    List<String> names = refs.stream().map(EnvReferences.Reference::name).distinct().toList();
    assertThat(names)
        .contains(
            "GATEHOUSE_CONTROL_PASSWORD",
            "GATEHOUSE_AUDIT_KEY",
            "GATEHOUSE_PSEUDONYM_KEY",
            "GATEHOUSE_SLACK_BOT_TOKEN",
            "GATEHOUSE_SLACK_SIGNING_SECRET",
            "GATEHOUSE_ISSUER_URL");
    // with none of them set (the test's environment sets none of these names)
    names.forEach(n -> assertThat(System.getenv(n)).as(n).isNull());

    Cli.Run run = Cli.run("config", "validate", "--config", example.toString(), "--offline");
    System.out.println(run.out() + run.err());
    assertThat(run.exit()).isEqualTo(2);
    for (EnvReferences.Reference r : refs) {
      assertThat(run.err())
          .contains(
              "line "
                  + r.line()
                  + ", field `"
                  + r.field()
                  + "`: environment variable `"
                  + r.name()
                  + "` is not set");
    }
    assertThat(run.out()).contains("GATEHOUSE_AUDIT_KEY  unset");
    assertThat(run.err()).contains("field `audit.key`").contains("field `slack.botToken`");
    // nothing but the unset variables: the stand-ins made no problems of their own
    assertThat(run.err().lines().filter(l -> !l.contains("is not set")).toList()).isEmpty();
  }

  @Test
  void aSlackRefusalNamesTheFieldItIsAbout() throws Exception {
    Path policy =
        Files.copy(Path.of("..", "examples", "reference-policy.yaml"), dir.resolve("p.yaml"));
    Path config = dir.resolve("gatehouse.yaml");
    String text =
        Files.readString(Path.of("..", "examples", "gatehouse.yaml"))
            .replace("reference-policy.yaml", policy.getFileName().toString())
            .replace("teamId: T0123456", "teamId: not-a-team");
    Files.writeString(config, text);
    int teamLine = text.lines().toList().indexOf("  teamId: not-a-team") + 1;
    var reader = new GatewayConfigReader(name -> EnvReferences.placeholder(name, name));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.read(config))
        .hasMessageContaining("line " + teamLine + ", field `slack.teamId`");
  }

  /** One line per problem, each naming the file, the line and the field it is about. */
  record Expected(String file, String text, String field, String problem) {}

  @Test
  void manyDistinctProblemsOfBothFilesAreReportedInOneRun() throws Exception {
    String policyText =
        Files.readString(Path.of("..", "examples", "reference-policy.yaml"))
            .replaceFirst("version: 1\n", "version: 1\nrulez: []\n")
            .replace("        statementTimeout: 10m\n", "        statementTimeout: ten minutes\n")
            .replace(
                "        classes: [read, write, transaction, session]\n",
                "        classes: [read, wirte, transaction, session]\n")
            .replace("    expiry: 15m\n\napprovals:", "    expiry: 15m\n\napprovals:\n  expiri: 1h")
            .replaceFirst("      - database: shop\n", "      - database: shopp\n");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, policyText);
    String configText =
        Files.readString(Path.of("..", "examples", "gatehouse.yaml"))
            .replace("file: reference-policy.yaml", "file: policy.yaml")
            .replace("  reload: 10s", "  reload: 10 seconds")
            .replace("  poolSize: 8", "  poolSize: eight")
            .replace("  idleTimeout: 0s", "  idleTimout: 0s")
            .replace("  plaintextOnLoopback: true", "  plaintextOnLoopback: maybe")
            .replace("  port: 8080", "  port: 80800")
            .replace(
                "  endpoint: /mcp", "  endpoint: /mcp\n  resourceUrl: 'https://exa mple.com/mcp'")
            .replace("  teamId: T0123456", "  teamId: not-a-team");
    Path config = dir.resolve("gatehouse.yaml");
    Files.writeString(config, configText);

    List<Expected> expected =
        List.of(
            new Expected("config", "  reload: 10 seconds", "policy.reload", "expected a duration"),
            new Expected("config", "  poolSize: eight", "control.poolSize", "whole number"),
            new Expected("config", "  idleTimout: 0s", "wire.idleTimout", "unknown field"),
            new Expected(
                "config",
                "  plaintextOnLoopback: maybe",
                "wire.plaintextOnLoopback",
                "`true` or `false`"),
            new Expected("config", "  port: 80800", "http.port", "out of range"),
            new Expected(
                "config",
                "  resourceUrl: 'https://exa mple.com/mcp'",
                "mcp.resourceUrl",
                "expected an http or https URL"),
            new Expected("config", "  teamId: not-a-team", "slack.teamId", "not a team id"),
            new Expected("policy", "rulez: []", "rulez", "unknown field"),
            new Expected(
                "policy",
                "        statementTimeout: ten minutes",
                ".statementTimeout",
                "expected a duration"),
            new Expected(
                "policy",
                "        classes: [read, wirte, transaction, session]",
                ".classes[1]",
                "`wirte`"),
            new Expected("policy", "  expiri: 1h", "approvals.expiri", "unknown field"),
            new Expected("policy", "      - database: shopp", ".database", "`shopp`"));

    Cli.Run run = Cli.run("config", "validate", "--config", config.toString(), "--offline");
    assertThat(run.exit()).isEqualTo(2);
    List<String> notUnset = run.err().lines().filter(l -> !l.contains("is not set")).toList();
    for (Expected e : expected) {
      List<String> lines = (e.file().equals("config") ? configText : policyText).lines().toList();
      int line = 0;
      for (int i = 0; i < lines.size() && line == 0; i++) {
        line = lines.get(i).startsWith(e.text()) ? i + 1 : 0; // values may carry a comment
      }
      final int at = line;
      assertThat(line).as(e.text()).isPositive();
      Path file = e.file().equals("config") ? config : policy;
      assertThat(notUnset)
          .as(e.field())
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains(e.file() + " `" + file + "` line " + at + ", field `")
                      .containsPattern(
                          "field `[^`]*" + java.util.regex.Pattern.quote(e.field()) + "`")
                      .contains(e.problem()));
    }
    // one line per problem, nothing else: no problem twice, no consequence of another
    assertThat(notUnset).hasSize(expected.size());
    // and the variables both files read are listed, set or not
    assertThat(run.out())
        .contains("GATEHOUSE_AUDIT_KEY  unset")
        .contains("GATEHOUSE_ISSUER_URL  unset");
  }

  @Test
  void serveRefusesAWrongConfigWithEveryProblemBeforeListening() throws Exception {
    Files.copy(Path.of("..", "examples", "reference-policy.yaml"), dir.resolve("p.yaml"));
    Path config = dir.resolve("serve.yaml");
    Files.writeString(
        config,
        Files.readString(Path.of("..", "examples", "gatehouse.yaml"))
            .replace("file: reference-policy.yaml", "file: p.yaml")
            .replace("  reload: 10s", "  reload: soon")
            .replace("  idleTimeout: 0s", "  idleTimout: 0s"));
    Cli.Run run = Cli.run("serve", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(2);
    List<String> lines =
        run.err().lines().filter(l -> l.startsWith("gatehouse: config `")).toList();
    // the test's environment sets none of the example's variables: each is a problem too
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("field `audit.key`"));
    assertThat(lines.stream().filter(l -> !l.contains("is not set")).toList())
        .hasSize(2)
        .anySatisfy(l -> assertThat(l).contains("field `policy.reload`"))
        .anySatisfy(l -> assertThat(l).contains("field `wire.idleTimout`"));
  }
}
