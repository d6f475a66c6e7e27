package dev.gatehouse.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Splitter;
import dev.gatehouse.engine.sql.model.Names;
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
  void namesAreCutTo63BytesAtACharacterBoundaryQuotedOrNot() {
    // red-team round 13: PostgreSQL keeps 63 bytes, so <63 a>x and <63 a>y are one name
    String a63 = "a".repeat(63);
    assertThat(Names.identifier(a63 + "x")).isEqualTo(a63);
    assertThat(Names.identifier("\"" + a63 + "y\"")).isEqualTo(a63);
    assertThat(Names.identifier("a".repeat(62) + "é")).isEqualTo("a".repeat(62)); // 64 bytes
    assertThat(Names.identifier("é".repeat(40))).isEqualTo("é".repeat(31)); // 62 bytes kept
    assertThat(Names.identifier("a".repeat(60) + "😀")).isEqualTo("a".repeat(60));
    assertThat(Names.identifier("a".repeat(59) + "😀")).isEqualTo("a".repeat(59) + "😀");
    assertThat(dev.gatehouse.engine.sql.Cursors.closed("CLOSE " + a63 + "y")).isEqualTo(a63);
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
