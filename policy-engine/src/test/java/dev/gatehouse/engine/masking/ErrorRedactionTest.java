package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error and notice fields lose masked values; the SQLSTATE, position and routine stay. */
class ErrorRedactionTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static Analysis analysis(String sql) {
    return analyzer.analyze(sql, AnalysisContext.DEFAULT);
  }

  private static Map<Character, String> fields(String state, String message) {
    Map<Character, String> f = new LinkedHashMap<>();
    f.put('S', "ERROR");
    f.put('V', "ERROR");
    f.put('C', state);
    f.put('M', message);
    f.put('D', "Token \"219-09-9999\" is invalid.");
    f.put('H', "try 219-09-9999");
    f.put('W', "JSON data, line 1: 219-09-9999");
    f.put('q', "SELECT '219-09-9999'");
    f.put('P', "8");
    f.put('R', "pg_strtoint32_safe");
    f.put('F', "numutils.c");
    f.put('L', "620");
    return f;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "22P02|invalid input syntax for type integer: \"219-09-9999\"|invalid input syntax for type"
            + " integer",
        "42704|unrecognized configuration parameter \"219-09-9999\"|unrecognized configuration"
            + " parameter",
        "22023|unit \"219-09-9999\" not recognized for type timestamp with time zone|unit",
        "22008|date field value out of range: 2000-01-2190|date field value out of range",
        "22003|value \"4111111111111111\" is out of range for type smallint|value",
        "P0001|219-09-9999|error P0001",
        "22P02|219-09-9999|error 22P02",
        "23505|duplicate key 219-09-9999|error 23505",
      })
  void touchedStatementKeepsOnlyTheKindOfError(String state, String message, String kind) {
    ErrorRedaction r =
        ErrorRedaction.of(
            ReferenceMasking.UNCLEARED,
            analysis("SELECT ssn::int FROM app.customers WHERE id = 1"));
    Map<Character, String> out = r.redact(fields(state, message));
    assertThat(out.get('M')).isEqualTo(kind + " " + ErrorRedaction.WITHHELD);
    assertThat(out).doesNotContainKeys('D', 'H', 'W', 'q');
    assertThat(out)
        .containsEntry('C', state)
        .containsEntry('P', "8")
        .containsEntry('R', "pg_strtoint32_safe")
        .containsEntry('L', "620");
    out.values().forEach(v -> assertThat(v).doesNotContain("219-09-9999", "4111111111111111"));
  }

  @Test
  void safeStatesKeepTheirText() {
    ErrorRedaction r =
        ErrorRedaction.of(ReferenceMasking.UNCLEARED, analysis("SELECT ssn FROM app.customers"));
    Map<Character, String> f = new LinkedHashMap<>();
    f.put('C', "57014");
    f.put('M', "canceling statement due to statement timeout");
    assertThat(r.redact(f)).isSameAs(f);
  }

  @Test
  void untouchedStatementKeepsItsTextButDetectorsRun() {
    ErrorRedaction r =
        ErrorRedaction.of(
            ReferenceMasking.UNCLEARED, analysis("SELECT full_name::int FROM app.customers"));
    Map<Character, String> f = new LinkedHashMap<>();
    f.put('C', "22P02");
    f.put('M', "invalid input syntax for type integer: \"Alice Archer\"");
    assertThat(r.redact(f)).isSameAs(f);
    f.put('D', "card 4111 1111 1111 1111 and alice@example.com");
    Map<Character, String> out = r.redact(f);
    assertThat(out.get('D')).doesNotContain("4111 1111 1111 1111", "alice@example.com");
    assertThat(out.get('M')).contains("Alice Archer");
  }

  @Test
  void unknownStatementCountsAsTouched() {
    ErrorRedaction r = ErrorRedaction.of(ReferenceMasking.UNCLEARED, null);
    assertThat(r.redact(fields("22P02", "invalid input syntax for type uuid: \"x\"")).get('M'))
        .endsWith(ErrorRedaction.WITHHELD);
  }

  @Test
  void clearedPrincipalSeesEverything() {
    Map<Character, String> f = fields("22P02", "invalid input syntax: \"219-09-9999\"");
    assertThat(ErrorRedaction.of(MaskingPolicy.NONE, null).redact(f)).isSameAs(f);
  }

  @Test
  void messagesWithASeverityPrefixAndTheAuditCopy() {
    ErrorRedaction r = ErrorRedaction.of(ReferenceMasking.UNCLEARED, null);
    assertThat(r.redactMessage("22P02", "ERROR: invalid input syntax for type json: \"x\""))
        .isEqualTo("ERROR: invalid input syntax for type json " + ErrorRedaction.WITHHELD);
    assertThat(ErrorRedaction.forAudit("22P02", "invalid input syntax for type integer: \"219\""))
        .isEqualTo("invalid input syntax for type integer " + ErrorRedaction.WITHHELD);
    assertThat(ErrorRedaction.forAudit("42P01", "relation \"nope\" does not exist"))
        .isEqualTo("relation " + ErrorRedaction.WITHHELD);
    assertThat(ErrorRedaction.forAudit("57014", "canceling statement due to statement timeout"))
        .isEqualTo("canceling statement due to statement timeout");
  }

  private static ErrorRedaction touched() {
    return ErrorRedaction.of(
        ReferenceMasking.UNCLEARED, analysis("SELECT ssn FROM app.customers WHERE id = 1"));
  }

  private static ErrorRedaction untouched() {
    return ErrorRedaction.of(
        ReferenceMasking.UNCLEARED, analysis("SELECT full_name FROM app.customers"));
  }

  @Test
  void aTouchedStatementLosesContextAndInternalQueryWhateverTheState() {
    // dynamic SQL built from a value, failing with a state that says nothing about values
    Map<Character, String> f = fields("42501", "permission denied for table pg_authid");
    f.put('W', "SQL statement \"SELECT 1 WHERE x = '9999-90-912'\"\nPL/pgSQL function f() line 1");
    Map<Character, String> out = touched().redact(f);
    assertThat(out.get('M')).isEqualTo("permission denied for table pg_authid");
    assertThat(out).doesNotContainKeys('W', 'q');
    out.values().forEach(v -> assertThat(v).doesNotContain("9999-90-912", "219-09-9999"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "42501|exec_stmt_raise|pl_exec.c",
        "57014|exec_stmt_raise|pl_exec.c",
        "00000|exec_stmt_raise|pl_exec.c",
        "40001|PLy_elog_impl|plpy_elog.c",
      })
  void aStateAFunctionChoseIsNotTrusted(String state, String routine, String file) {
    for (ErrorRedaction r : new ErrorRedaction[] {touched(), untouched()}) {
      Map<Character, String> f = fields(state, "9999-90-912");
      f.put('R', routine);
      f.put('F', file);
      Map<Character, String> out = r.redact(f);
      assertThat(out.get('M')).endsWith(ErrorRedaction.WITHHELD).doesNotContain("9999");
      assertThat(out).doesNotContainKeys('D', 'H', 'W', 'q').containsEntry('C', state);
    }
  }

  @Test
  void textRaisedInsideAFunctionCountsAsTouched() {
    // a trigger or function the analysis cannot see read the value and failed on it
    Map<Character, String> f = fields("22P02", "invalid input syntax for type integer: \"x\"");
    f.put('W', "PL/pgSQL function app.trg() line 3 at assignment");
    assertThat(untouched().redact(f).get('M'))
        .isEqualTo("invalid input syntax for type integer " + ErrorRedaction.WITHHELD);
    Map<Character, String> timeout = fields("57014", "canceling statement due to user request");
    timeout.put('W', "SQL function \"customer_email\" statement 1");
    Map<Character, String> out = untouched().redact(timeout);
    assertThat(out.get('M')).isEqualTo("canceling statement due to user request");
    assertThat(out).doesNotContainKeys('W', 'q');
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "23502|null value in column \"status\" of relation \"payments\" violates not-null"
            + " constraint",
        "23505|duplicate key value violates unique constraint \"payments_pkey\"",
        "23503|insert or update on table \"orders\" violates foreign key constraint"
            + " \"orders_customer_id_fkey\"",
        "23503|update or delete on table \"customers\" violates foreign key constraint"
            + " \"orders_customer_id_fkey\" on table \"orders\"",
        "23514|new row for relation \"payments\" violates check constraint \"amount_positive\"",
        "23P01|conflicting key value violates exclusion constraint \"no_overlap\"",
        "44000|new row violates check option for view \"recent_payments\"",
      })
  void integrityErrorsKeepTheirNamesAndLoseTheRow(String state, String message) {
    Map<Character, String> f = fields(state, message);
    f.put('D', "Failing row contains (5, 5, 15.00, 4111111111111111, null).");
    f.put('n', "payments_pkey");
    Map<Character, String> out = touched().redact(f);
    assertThat(out.get('M')).isEqualTo(message);
    assertThat(out.get('D')).isEqualTo(ErrorRedaction.ROW_WITHHELD);
    assertThat(out).containsEntry('C', state).containsEntry('n', "payments_pkey");
    assertThat(out).doesNotContainKeys('H', 'W', 'q');
    assertThat(ErrorRedaction.forAudit(state, message)).isEqualTo(message);
  }

  @Test
  void anIntegrityStateWithAnotherMessageIsWithheld() {
    Map<Character, String> f = fields("23505", "duplicate key 219-09-9999");
    assertThat(touched().redact(f).get('M')).isEqualTo("error 23505 " + ErrorRedaction.WITHHELD);
    Map<Character, String> raised =
        fields("23505", "duplicate key value violates unique constraint \"219-09-9999\"");
    raised.put('R', "exec_stmt_raise");
    raised.put('F', "pl_exec.c");
    assertThat(touched().redact(raised).get('M'))
        .isEqualTo("error 23505 " + ErrorRedaction.WITHHELD);
  }
}
