package dev.gatehouse.gateway.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shell commands of the README's tour: every {@code ```sh} block of "A tour", in order. */
final class ReadmeTour {

  private ReadmeTour() {}

  static List<String> commands(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme);
    int from = lines.indexOf("### A tour");
    int to = lines.indexOf("### Run it for real");
    if (from < 0 || to < from) {
      throw new AssertionError("README has no `### A tour` section before `### Run it for real`");
    }
    List<String> out = new ArrayList<>();
    boolean sh = false;
    for (String line : lines.subList(from, to)) {
      if (line.startsWith("```")) {
        sh = !sh && line.equals("```sh");
        continue;
      }
      if (sh && !line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }
}
