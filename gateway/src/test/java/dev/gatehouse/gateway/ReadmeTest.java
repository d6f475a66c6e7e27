package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code gatehouse.jar} command written in the README parses: the commands, options and
 * arguments it shows exist. What they do is exercised by the integration tests.
 */
class ReadmeTest {

  private static final String JAR = "./gatehouse ";

  @Test
  void everyCommandInTheReadmeParses() throws IOException {
    List<String> commands = new ArrayList<>();
    boolean inBlock = false;
    for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
      if (line.startsWith("```")) {
        inBlock = !inBlock;
        continue;
      }
      int at = line.indexOf(JAR);
      if (inBlock && at >= 0) {
        // `ID=$(./gatehouse ...)`: the command inside the substitution
        String command = line.substring(at + JAR.length()).strip();
        commands.add(line.contains("$(" + JAR) ? command.replaceAll("\\)$", "") : command);
      }
    }
    assertThat(commands).hasSizeGreaterThanOrEqualTo(10);
    for (String command : commands) {
      List<String> args = words(command);
      CommandLine.ParseResult parsed =
          Gatehouse.commandLine().parseArgs(args.toArray(String[]::new));
      assertThat(parsed.hasSubcommand()).as(command).isTrue();
    }
  }

  @Test
  void theTestCommandIsExactlyMvnwVerify() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme).contains("```\n./mvnw verify\n```");
    assertThat(readme).contains("```\n./gatehouse quickstart\n```");
  }

  /** Shell words: spaces separate, double quotes group. */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          out.add(word.toString());
        }
        word.setLength(0);
        any = false;
      } else {
        word.append(c);
        any = true;
      }
    }
    if (any) {
      out.add(word.toString());
    }
    return out;
  }
}
