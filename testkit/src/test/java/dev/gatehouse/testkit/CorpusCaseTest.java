package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorpusCaseTest {

  @Test
  void loadsEveryLineOfBothFiles() {
    assertThat(CorpusCase.load("attacks.jsonl")).hasSize(99);
    assertThat(CorpusCase.load("benign.jsonl")).hasSize(32);
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
