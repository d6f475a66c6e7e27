package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The search_path a new upstream connection starts with: the one its statement was judged under.
 */
class SearchPathOnConnectTest {

  @Test
  void aSessionThatSetNoPathKeepsTheConnectionsDefault() {
    Map<String, String> parameters = new HashMap<>();
    SearchPath.onConnect(parameters, List.of("public"));
    assertThat(parameters).doesNotContainKey("search_path");
  }

  @Test
  void aPathTheSessionSetIsPassedQuotedInItsOrder() {
    Map<String, String> parameters = new HashMap<>();
    SearchPath.onConnect(parameters, List.of("app", "public"));
    assertThat(parameters).containsEntry("search_path", "\"app\", \"public\"");
  }

  @Test
  void quotesInASchemaNameAreDoubledAndAnEmptyPathStaysEmpty() {
    assertThat(SearchPath.value(List.of("we\"ird", "Mixed Case")))
        .isEqualTo("\"we\"\"ird\", \"Mixed Case\"");
    Map<String, String> parameters = new HashMap<>();
    SearchPath.onConnect(parameters, List.of());
    assertThat(parameters).containsEntry("search_path", "");
  }
}
