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
    assertThat(EntryRows.text(body, "principal", "subject")).isEqualTo("etl-nightly");
    assertThat(EntryRows.text(body, "subject", null)).isEqualTo("top");
  }

  @Test
  void whatIsMissingOrNotAStringIsNull() {
    assertThat(EntryRows.text("{\"principal\":null}", "principal", "subject")).isNull();
    assertThat(EntryRows.text("{\"principal\":{\"subject\":7}}", "principal", "subject")).isNull();
    assertThat(EntryRows.text("{\"statementId\":null}", "statementId", null)).isNull();
    assertThat(EntryRows.text("[\"statementId\"]", "statementId", null)).isNull();
    assertThat(EntryRows.text("{}", "statementId", null)).isNull();
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
    assertThat(EntryRows.text(outcome, "statementId", null))
        .isEqualTo("00000000-0000-0000-0000-000000000007");
  }
}
