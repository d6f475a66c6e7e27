package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorpusCaseTest {

  @Test
  void loadsEveryLineOfBothFiles() throws java.io.IOException {
    for (String file : java.util.List.of("attacks.jsonl", "benign.jsonl")) {
      // Counted from the file itself: the corpus grows with every branch that adds cases.
      long lines;
      try (var in = CorpusCase.class.getClassLoader().getResourceAsStream("corpus/" + file)) {
        lines =
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank())
                .count();
      }
      assertThat(lines).as(file).isGreaterThan(0);
      assertThat(CorpusCase.load(file)).as(file).hasSize((int) lines);
    }
  }

  @Test
  void unescapesJsonStrings() {
    CorpusCase c =
        CorpusCase.parse(
            "x",
            "{\"id\": \"a\", \"principal\": \"analyst\", \"sql\": \"SELECT E'\\\\'' \\\"q\\\"\\n\","
                + " \"expect\": \"clear:v\"}");
    assertThat(c.sql()).isEqualTo("SELECT E'\\'' \"q\"\n");
    assertThat(c.clearValue()).isEqualTo("v");
  }

  @Test
  void secretsAreLoadedAndFound() {
    assertThat(Secrets.all()).hasSize(66);
    assertThat(Secrets.findIn("x 4111111111111111 y")).isNotNull();
    assertThat(Secrets.findIn("************1111")).isNull();
  }
}
