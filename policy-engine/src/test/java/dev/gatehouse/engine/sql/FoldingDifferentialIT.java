package dev.gatehouse.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The every-row check's constant folding against PostgreSQL's own evaluation. Red-team rounds 42 to
 * 44 found eleven conditions of constants that PostgreSQL's types make true and the fold computed
 * as false: char padding, integer rounding, floats, a literal read through a double, the
 * collation's string order, an untyped string taking the other side's type, {@code interval} taken
 * for an integer type. Here random conditions over such constants, casts and functions go to the
 * server ({@code SELECT (c) IS TRUE}, errors counted as not true) and, as the WHERE of a DELETE, to
 * the analyser. Wherever the server finds the condition true, the analyser must hold it: flag it as
 * one that may hold for every row, or refuse the statement. A condition the analyser holds while
 * the server finds it false is counted, not failed: the safe direction. {@code
 * -Dgatehouse.folddiff.cases=100000} runs longer (docs/operations.md).
 */
class FoldingDifferentialIT {

  private static final Set<RiskFlag> HELD =
      Set.of(
          RiskFlag.TAUTOLOGICAL_WHERE,
          RiskFlag.PARSE_FAILURE,
          RiskFlag.PARSE_TIMEOUT,
          RiskFlag.UNSUPPORTED_STATEMENT,
          RiskFlag.UNKNOWN_FUNCTION,
          RiskFlag.DANGEROUS_FUNCTION);

  private static final List<String> LITERALS =
      List.of(
          "-1",
          "0",
          "1",
          "2",
          "2.5",
          "1.0",
          "1.50",
          "0.1",
          "1e2",
          "9007199254740993",
          "1.0000000000000001",
          "'a'",
          "'a '",
          "'A'",
          "'01'",
          "'1'",
          "''",
          "'t'",
          "'true'",
          "'1.0'",
          "'\uD83D\uDE00'",
          "'\uFF61'",
          "'NaN'",
          "true",
          "false",
          "NULL");

  private static final List<String> TYPES =
      List.of(
          "int",
          "smallint",
          "bigint",
          "numeric",
          "numeric(5,1)",
          "float4",
          "float8",
          "text",
          "varchar(2)",
          "char(3)",
          "bool",
          "interval");

  private static final List<String> COMPARE = List.of("=", "<>", "<", ">", "<=", ">=");

  private static Connection db;

  @BeforeAll
  static void probe() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    db = pg.connectAsAdmin(pg.createEmptyDatabase("folddiff"));
    try (Statement s = db.createStatement()) {
      s.execute(
          "CREATE FUNCTION foldprobe(c text) RETURNS boolean LANGUAGE plpgsql AS $f$"
              + " DECLARE r boolean; BEGIN EXECUTE 'SELECT (' || c || ') IS TRUE' INTO r;"
              + " RETURN r; EXCEPTION WHEN others THEN RETURN false; END $f$");
    }
  }

  @AfterAll
  static void close() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void whatPostgresqlFindsTrueForEveryRowIsHeld() throws SQLException {
    int cases = Integer.getInteger("gatehouse.folddiff.cases", 3000);
    Random random = new Random(Long.getLong("gatehouse.folddiff.seed", 20261207L));
    List<String> missed = new ArrayList<>();
    int trueOnServer = 0;
    int heldButFalse = 0;
    try (PreparedStatement ps = db.prepareStatement("SELECT foldprobe(?)")) {
      for (int i = 0; i < cases && missed.size() < 10; i++) {
        String condition = condition(random, 3);
        ps.setString(1, condition);
        boolean serverTrue;
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          serverTrue = rs.getBoolean(1);
        }
        Analysis a =
            AnalyzerFixture.ANALYZER.analyze(
                "DELETE FROM app.orders WHERE " + condition, AnalysisContext.DEFAULT);
        boolean held = a.riskFlags().stream().anyMatch(HELD::contains);
        if (serverTrue) {
          trueOnServer++;
          if (!held) {
            missed.add(condition + "  flags=" + a.riskFlags());
          }
        } else if (held) {
          heldButFalse++;
        }
      }
    }
    System.out.printf(
        "folddiff: %d conditions, %d true on the server, %d held though false there%n",
        cases, trueOnServer, heldButFalse);
    assertThat(missed).as("true for every row in PostgreSQL, not held here").isEmpty();
    assertThat(trueOnServer).isGreaterThan(cases / 20);
  }

  private static String condition(Random r, int depth) {
    int pick = depth <= 0 ? r.nextInt(3) : r.nextInt(8);
    return switch (pick) {
      case 0, 1, 2 ->
          value(r, depth - 1)
              + " "
              + COMPARE.get(r.nextInt(COMPARE.size()))
              + " "
              + value(r, depth - 1);
      case 3 -> value(r, depth - 1) + (r.nextBoolean() ? " IS NULL" : " IS NOT NULL");
      case 4 ->
          value(r, depth - 1)
              + (r.nextBoolean() ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ")
              + value(r, depth - 1);
      case 5 -> "NOT (" + condition(r, depth - 1) + ")";
      case 6 ->
          "("
              + condition(r, depth - 1)
              + (r.nextBoolean() ? " AND " : " OR ")
              + condition(r, depth - 1)
              + ")";
      default ->
          value(r, depth - 1) + " IN (" + value(r, depth - 1) + ", " + value(r, depth - 1) + ")";
    };
  }

  private static String value(Random r, int depth) {
    int pick = depth <= 0 ? 0 : r.nextInt(7);
    return switch (pick) {
      case 0, 1 -> LITERALS.get(r.nextInt(LITERALS.size()));
      case 2 -> "(" + value(r, depth - 1) + ")::" + TYPES.get(r.nextInt(TYPES.size()));
      case 3 -> {
        String f = List.of("nullif", "coalesce", "greatest", "least").get(r.nextInt(4));
        yield f + "(" + value(r, depth - 1) + ", " + value(r, depth - 1) + ")";
      }
      case 4 ->
          "CASE WHEN "
              + condition(r, depth - 1)
              + " THEN "
              + value(r, depth - 1)
              + " ELSE "
              + value(r, depth - 1)
              + " END";
      case 5 ->
          "CASE "
              + value(r, depth - 1)
              + " WHEN "
              + value(r, depth - 1)
              + " THEN "
              + value(r, depth - 1)
              + " ELSE "
              + value(r, depth - 1)
              + " END";
      default ->
          "("
              + value(r, depth - 1)
              + " "
              + List.of("+", "-", "*", "/", "||").get(r.nextInt(5))
              + " "
              + value(r, depth - 1)
              + ")";
    };
  }
}
