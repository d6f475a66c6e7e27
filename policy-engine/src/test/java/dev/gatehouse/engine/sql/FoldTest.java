package dev.gatehouse.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Splitter;
import org.junit.jupiter.api.Test;

/** Unquoted names fold as PostgreSQL folds them in a UTF-8 database: A to Z, nothing else. */
class FoldTest {

  @Test
  void onlyAsciiLettersFold() {
    assertThat(Names.identifier("CustOmers")).isEqualTo("customers");
    assertThat(Names.identifier("É")).isEqualTo("É");
    assertThat(Names.identifier("Éa")).isEqualTo("Éa");
    assertThat(Names.identifier("STRAßE")).isEqualTo("straße");
    assertThat(Names.identifier("İd")).isEqualTo("İd");
    assertThat(Names.identifier("\"É\"")).isEqualTo("É");
  }

  @Test
  void namesThatDifferInANonAsciiCaseAreTwoNamesToTheCacheToo() throws Exception {
    // red-team round 12: É and é were one alias, and a masked column was traced to the other
    LexedStatement upper = Splitter.split("SELECT s.É FROM t s").getFirst();
    LexedStatement lower = Splitter.split("SELECT s.é FROM t s").getFirst();
    assertThat(dev.gatehouse.engine.sql.lex.Fingerprint.of(java.util.List.of(upper)))
        .isNotEqualTo(dev.gatehouse.engine.sql.lex.Fingerprint.of(java.util.List.of(lower)));
  }
}
