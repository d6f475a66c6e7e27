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
}
