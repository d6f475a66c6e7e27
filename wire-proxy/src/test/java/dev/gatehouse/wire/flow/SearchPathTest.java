package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchPathTest {
  @Test
  void parsesReportedAndSetValues() {
    assertThat(SearchPath.parse("\"$user\", public")).containsExactly("public");
    assertThat(SearchPath.parse("app, \"My Schema\"")).containsExactly("app", "My Schema");
    assertThat(SearchPath.parse("'app'")).containsExactly("app");
    assertThat(SearchPath.parse("APP")).containsExactly("app");
  }
}
