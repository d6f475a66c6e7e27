package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A connection record says why a session ended when the front end knows it, and only then. */
class ConnectionRecordTest {

  private final Principal analyst =
      new Principal(
          "https://issuer.example",
          "analyst",
          Principal.Kind.PERSON,
          Set.of(),
          null,
          Map.of(),
          Instant.now().plusSeconds(60));

  private JsonNode body(ConnectionEvent event) {
    return RecordBodies.JSON.readTree(RecordBodies.connection(event));
  }

  @Test
  void aClosedMcpSessionSaysWhyItEnded() {
    JsonNode closed =
        body(new ConnectionEvent(Instant.now(), false, "s-1", analyst, context("shop"), "idle"));
    assertThat(closed.get("opened").asBoolean()).isFalse();
    assertThat(closed.get("connectionId").asString()).isEqualTo("s-1");
    assertThat(closed.get("ended").asString()).isEqualTo("idle");
  }

  @Test
  void aRecordThatSaysNothingOfWhyHasNoEndedField() {
    assertThat(
            body(new ConnectionEvent(Instant.now(), true, "s-1", analyst, context("shop")))
                .has("ended"))
        .isFalse();
  }
}
