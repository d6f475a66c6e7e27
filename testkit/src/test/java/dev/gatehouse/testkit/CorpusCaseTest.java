package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorpusCaseTest {

  @Test
  void loadsEveryLineOfBothFiles() {
    for (String file : java.util.List.of("attacks.jsonl", "benign.jsonl")) {
      long lines =
          TestPostgres.readResource("corpus/" + file).lines().filter(l -> !l.isBlank()).count();
      assertThat(CorpusCase.load(file)).hasSize((int) lines);
    }
    assertThat(CorpusCase.load("attacks.jsonl")).hasSizeGreaterThanOrEqualTo(99 + 100);
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
