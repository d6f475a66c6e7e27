package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Parse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lifecycle of prepared statements and portals, as PostgreSQL keeps them. */
class PreparedStatementsTest {

  private final PreparedStatements prepared = new PreparedStatements();

  private static PreparedStatement statement(String name, String sql) {
    return new PreparedStatement(new Parse(name, sql, List.of()), (Admitted) null);
  }

  private static Bind bind(String portal, String statement) {
    return new Bind(portal, statement, List.of(), List.of(), List.of());
  }

  @Test
  void aParseThatWentUpstreamIsTheStatementOfItsName() {
    PreparedStatement first = statement("", "select 1");
    PreparedStatement second = statement("", "select 2");
    prepared.parsed(first);
    prepared.parsed(second);
    assertThat(prepared.statement("")).isSameAs(second);

    // The flow answers 42P05 itself for a name it holds (SessionNamesIT), so a named Parse that
    // went upstream is for a name PostgreSQL does not hold either: it is that name's statement.
    prepared.parsed(statement("s1", "select 1"));
    PreparedStatement again = statement("s1", "delete from t");
    prepared.parsed(again);
    assertThat(prepared.statement("s1")).isSameAs(again);
  }

  @Test
  void namesPast63BytesAreTooLongAsPostgreSQLCutsThem() {
    assertThat(PreparedStatements.tooLong("s".repeat(63))).isFalse();
    assertThat(PreparedStatements.tooLong("s".repeat(64))).isTrue();
    assertThat(PreparedStatements.tooLong("é".repeat(31) + "k")).isFalse(); // 63 bytes
    assertThat(PreparedStatements.tooLong("é".repeat(32))).isTrue(); // 64 bytes, 32 characters
    assertThat(PreparedStatements.tooLong("")).isFalse();
  }

  @Test
  void theEndOfATransactionEndsEveryPortalButNoStatement() {
    prepared.parsed(statement("s1", "select 1"));
    prepared.bind(bind("p1", "s1"));
    prepared.bind(bind("", "s1"));
    prepared.transactionEnded();
    assertThat(prepared.portal("p1")).isNull();
    assertThat(prepared.portal("")).isNull();
    assertThat(prepared.statement("s1")).isNotNull();
  }

  @Test
  void aBindOfAnUnknownStatementCreatesNoPortal() {
    assertThat(prepared.bind(bind("p", "nope"))).isNull();
    assertThat(prepared.portal("p")).isNull();
  }

  @Test
  void aPortalRunsTheStatementItWasBoundTo() {
    PreparedStatement s1 = statement("s1", "select 1");
    prepared.parsed(s1);
    Portal portal = prepared.bind(bind("", "s1"));
    assertThat(portal.statement).isSameAs(s1);
    assertThat(prepared.portal("")).isSameAs(portal);

    // a new Bind of the unnamed portal replaces it, and its row count starts again
    portal.rowsSent = 10;
    Portal again = prepared.bind(bind("", "s1"));
    assertThat(prepared.portal("")).isSameAs(again);
    assertThat(again.rowsSent).isZero();
  }

  @Test
  void closeRemovesOnlyWhatItNames() {
    prepared.parsed(statement("s1", "select 1"));
    prepared.bind(bind("p1", "s1"));
    prepared.close('P', "p1");
    assertThat(prepared.portal("p1")).isNull();
    assertThat(prepared.statement("s1")).isNotNull();

    Portal p2 = prepared.bind(bind("p2", "s1"));
    prepared.close('S', "s1");
    assertThat(prepared.statement("s1")).isNull();
    // a portal outlives the statement it was bound from
    assertThat(prepared.portal("p2")).isSameAs(p2);
    // closing what does not exist is no error
    prepared.close('S', "missing");
    prepared.close('P', "missing");
  }

  @Test
  void discardAllDeallocatesNamedStatementsAndPortals() {
    prepared.parsed(statement("", "select 0"));
    prepared.parsed(statement("s1", "select 1"));
    prepared.parsed(statement("s2", "select 2"));
    prepared.bind(bind("", "s1"));
    prepared.bind(bind("p1", "s1"));
    assertThat(prepared.named())
        .extracting(s -> s.parse.name())
        .containsExactlyInAnyOrder("s1", "s2");

    prepared.discardAll();
    assertThat(prepared.named()).isEmpty();
    assertThat(prepared.statement("s1")).isNull();
    assertThat(prepared.portal("p1")).isNull();
    assertThat(prepared.statement("")).isNotNull();
    assertThat(prepared.portal("")).isNotNull();
  }
}
