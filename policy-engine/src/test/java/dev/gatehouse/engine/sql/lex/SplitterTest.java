package dev.gatehouse.engine.sql.lex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SplitterTest {

  private static List<String> split(String sql) throws LexException {
    return Splitter.split(sql).stream().map(LexedStatement::text).toList();
  }

  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of("SELECT 1; DROP TABLE app.orders", 2),
        Arguments.of("SELECT 1 /* ; */ ; DELETE FROM app.orders", 2),
        Arguments.of("select $$;$$; drop table app.orders", 2),
        Arguments.of("SELECT E'\\';DROP TABLE app.orders;--' AS s", 1),
        Arguments.of("SELECT 'a;b'", 1),
        Arguments.of("SELECT \"a;b\" FROM t", 1),
        Arguments.of("SELECT U&'\\003B'; SELECT 2", 2),
        Arguments.of("SELECT 1 -- ; DROP\n", 1),
        Arguments.of("SELECT $x$ $$ ; $$ $x$; SELECT 2", 2),
        Arguments.of(";;SELECT 1;;", 1),
        Arguments.of("BEGIN; SELECT 1; COMMIT", 3));
  }

  @ParameterizedTest
  @MethodSource("messages")
  void splitsOnlyAtTopLevelSemicolons(String sql, int count) throws LexException {
    List<String> statements = split(sql);
    assertEquals(count, statements.size(), statements::toString);
  }

  @org.junit.jupiter.api.Test
  void statementTextIsTheOriginalWithoutTheSemicolon() throws LexException {
    assertEquals(
        List.of("SELECT 'x;y'", "DELETE /**/ FROM t"), split("SELECT 'x;y' ;DELETE /**/ FROM t;"));
  }
}
