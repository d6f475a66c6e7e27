package dev.gatehouse.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two fields the shipper reads of every record, by streaming up to them. */
class EntryRowsTest {

  @Test
  void aFieldIsFoundAfterWhateverComesBeforeIt() {
    String body =
        "{\"skip\":{\"subject\":\"not this\",\"deep\":[1,{\"principal\":{\"subject\":\"no\"}}]},"
            + "\"list\":[\"principal\"],\"principal\":{\"issuer\":\"i\",\"groups\":[\"a\"],"
            + "\"subject\":\"etl-nightly\"},\"subject\":\"top\"}";
    assertThat(text(body, "principal", "subject")).isEqualTo("etl-nightly");
    assertThat(text(body, "subject", null)).isEqualTo("top");
  }

  @Test
  void aSubjectIsReadFromTheStoredUtf8AsWritten() {
    // The shipper reads the bytes a segment stores: a name outside ASCII comes back whole.
    assertThat(text("{\"principal\":{\"subject\":\"Zoë ✓ \\u00e9\"}}", "principal", "subject"))
        .isEqualTo("Zoë ✓ é");
  }

  @Test
  void whatIsMissingOrNotAStringIsNull() {
    assertThat(text("{\"principal\":null}", "principal", "subject")).isNull();
    assertThat(text("{\"principal\":{\"subject\":7}}", "principal", "subject")).isNull();
    assertThat(text("{\"statementId\":null}", "statementId", null)).isNull();
    assertThat(text("[\"statementId\"]", "statementId", null)).isNull();
    assertThat(text("{}", "statementId", null)).isNull();
  }

  @Test
  void theBodiesTheGatewayWritesGiveTheirSubjectAndStatement() {
    String outcome =
        RecordBodies.outcome(
            java.util.UUID.fromString("00000000-0000-0000-0000-000000000007"),
            new StatementOutcome(
                1,
                java.time.Duration.ofMillis(1),
                java.util.List.of(),
                null,
                null,
                java.util.List.of()),
            java.util.List.of());
    assertThat(text(outcome, "statementId", null))
        .isEqualTo("00000000-0000-0000-0000-000000000007");
  }

  private static String text(String body, String name, String inner) {
    return EntryRows.text(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), name, inner);
  }
}
