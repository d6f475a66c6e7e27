package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Splitter;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import dev.gatehouse.engine.text.VisibleText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain text table with aligned columns, and CSV quoting. */
final class Tables {

  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  Tables(String... header) {
    this.header = header;
  }

  void row(String... cells) {
    rows.add(cells);
  }

  void print(PrintWriter out) {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
      for (String[] r : rows) {
        widths[i] = Math.max(widths[i], cell(r, i).length());
      }
    }
    line(out, header, widths);
    for (String[] r : rows) {
      line(out, r, widths);
    }
  }

  private static void line(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      String c = cell(cells, i);
      b.append(c);
      if (i < widths.length - 1) {
        b.append(" ".repeat(widths[i] - c.length() + 2));
      }
    }
    out.println(b.toString().stripTrailing());
  }

  private static String cell(String[] r, int i) {
    return i < r.length && r[i] != null ? visible(r[i]) : "";
  }

  /** {@code s} on one line, shown and never acted on by the terminal ({@link VisibleText}). */
  static String visible(String s) {
    return s == null ? "null" : VisibleText.line(s);
  }

  /** {@code s} with its line breaks kept, each followed by {@code indent} ({@link VisibleText}). */
  static String visible(String s, String indent) {
    return s == null ? "null" : VisibleText.of(s, "\n" + indent);
  }

  static String shorten(String s, int max) {
    if (s == null) {
      return "";
    }
    String flat = s.replaceAll("\\s+", " ").strip();
    return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
  }

  private static final java.util.Set<String> WRITES =
      java.util.Set.of("insert", "update", "delete", "merge");

  /**
   * How many statements {@code sql} holds and their first words, as the policy engine's lexer
   * splits it: {@code 2: SELECT; UPDATE}, a write in a CTE as {@code WITH UPDATE}. Text it cannot
   * split is said to be so.
   */
  static String statements(String sql) {
    List<LexedStatement> statements;
    try {
      statements = Splitter.split(sql == null ? "" : sql);
    } catch (LexException e) {
      return "(cannot be split)";
    }
    List<String> words = new ArrayList<>(statements.size());
    for (LexedStatement st : statements) {
      Token first = st.at(0);
      String word = sql.substring(first.start(), Math.min(first.end(), first.start() + 16));
      String kind = first.type() == TokenType.WORD ? word.toUpperCase(Locale.ROOT) : word;
      if (first.isWord("with")) {
        // A write in a CTE is named beside the WITH (red-team round 39: listed as "WITH" alone).
        java.util.Set<String> writes = new java.util.LinkedHashSet<>();
        for (Token t : st.tokens()) {
          if (t.type() == TokenType.WORD && WRITES.contains(t.value())) {
            writes.add(t.value().toUpperCase(Locale.ROOT));
          }
        }
        kind = writes.isEmpty() ? kind : kind + " " + String.join(" ", writes);
      }
      words.add(kind);
    }
    return kinds(words);
  }

  /**
   * A message's statement kinds, one per statement, as their count and each distinct kind in order
   * of first appearance: a long message of one kind stays short, and another kind anywhere in it is
   * named.
   */
  static String kinds(List<String> kinds) {
    if (kinds == null || kinds.isEmpty()) {
      return "-";
    }
    String distinct = String.join("; ", new java.util.LinkedHashSet<>(kinds));
    return kinds.size() == 1 ? distinct : kinds.size() + ": " + distinct;
  }

  static String csv(String s) {
    if (s == null) {
      return "";
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
