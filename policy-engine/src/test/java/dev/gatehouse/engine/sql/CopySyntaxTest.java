package dev.gatehouse.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.masking.CopyCommand;
import dev.gatehouse.engine.sql.CopySyntax.Option;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One reading of COPY: what analysis judges is what masking describes and the wire relays. */
class CopySyntaxTest {

  @Test
  void aRelationWithColumnsAndOptions() {
    CopySyntax c =
        CopySyntax.parse("COPY \"App\".Orders (id, \"Note\") TO STDOUT WITH (FORMAT csv, HEADER);");
    assertThat(c.relation()).isEqualTo("\"App\".Orders");
    assertThat(c.rowsQuery()).isEqualTo("SELECT id, \"Note\" FROM \"App\".Orders");
    assertThat(c.toClient()).isTrue();
    assertThat(c.target()).isEqualTo(CopySyntax.Target.CLIENT);
    assertThat(c.options())
        .containsExactly(new Option("format", "csv"), new Option("header", null));
  }

  @Test
  void analysisAndMaskingReadTheSameRelation() {
    String sql = "COPY \"App\".Orders (id) TO STDOUT";
    StatementInfo analysed = AnalyzerFixture.one(sql, new AnalysisContext(List.of("public")));
    assertThat(AnalyzerFixture.names(analysed.tablesRead())).containsExactly("App.orders");
    assertThat(CopyCommand.parse(sql).query()).isEqualTo("SELECT id FROM \"App\".Orders");
  }

  @Test
  void targetsAsPostgresReadsThem() {
    assertThat(CopySyntax.parse("COPY t TO STDIN").target()).isEqualTo(CopySyntax.Target.CLIENT);
    assertThat(CopySyntax.parse("COPY t FROM '/x'").target()).isEqualTo(CopySyntax.Target.FILE);
    assertThat(CopySyntax.parse("COPY (SELECT 1) TO PROGRAM 'cat'").target())
        .isEqualTo(CopySyntax.Target.PROGRAM);
    assertThat(CopySyntax.parse("COPY (SELECT ')') TO STDOUT").rowsQuery()).isEqualTo("SELECT ')'");
    assertThat(CopySyntax.parse("COPY t TO STDOUT CSV DELIMITER AS '|'").options())
        .containsExactly(new Option("csv", null), new Option("delimiter", "|"));
  }

  @Test
  void whatIsNotACopyStatementIsSaidSo() {
    assertThatThrownBy(() -> CopySyntax.parse("SELECT 1"))
        .isInstanceOf(CopySyntax.Malformed.class)
        .hasMessage("not a copy statement: `SELECT 1`");
    assertThatThrownBy(() -> CopySyntax.parse("COPY (SELECT 1 TO STDOUT"))
        .hasMessage("unbalanced parentheses in copy statement");
    assertThatThrownBy(() -> CopySyntax.parse("COPY t"))
        .hasMessage("copy statement lacks `to` or `from` and a target");
  }
}
