package dev.gatehouse.engine.masking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code COPY ... TO STDOUT} statement as masking needs it: the query whose rows it sends (to
 * describe for the plan and to analyse for lineage) and the data format. Statements that are not
 * {@code COPY ... TO STDOUT} give a clear error.
 *
 * @param query {@code TABLE t}, {@code SELECT cols FROM t}, or the parenthesized query
 */
public record CopyCommand(String query, CopyFormat format) {

  /** Parses {@code sql}; throws {@link IllegalArgumentException} for anything else. */
  public static CopyCommand parse(String sql) {
    CopyLexer lx = new CopyLexer(sql);
    if (!lx.keyword("copy")) {
      throw new IllegalArgumentException("not a copy statement: `" + abbreviate(sql) + "`");
    }
    String query;
    if (lx.peek() == '(') {
      query = lx.parenthesized();
    } else {
      String table = lx.name();
      query = "TABLE " + table;
      if (lx.peek() == '(') {
        query = "SELECT " + lx.parenthesized() + " FROM " + table;
      }
    }
    if (!lx.keyword("to") || !lx.keyword("stdout")) {
      throw new IllegalArgumentException(
          "only copy ... to stdout can be masked: `" + abbreviate(sql) + "`");
    }
    return new CopyCommand(query, options(lx, sql));
  }

  private static CopyFormat options(CopyLexer lx, String sql) {
    CopyFormat.Kind kind = CopyFormat.Kind.TEXT;
    Character delimiter = null;
    String nullString = null;
    char quote = '"';
    Character escape = null;
    boolean header = false;
    lx.keyword("with");
    boolean parenthesized = lx.peek() == '(';
    List<String[]> options = parenthesized ? lx.optionList() : lx.legacyOptions();
    for (String[] o : options) {
      String value = o.length > 1 ? o[1] : null;
      switch (o[0]) {
        case "format" ->
            kind = CopyFormat.Kind.valueOf(require(value, o[0], sql).toUpperCase(Locale.ROOT));
        case "csv" -> kind = CopyFormat.Kind.CSV;
        case "binary" -> kind = CopyFormat.Kind.BINARY;
        case "delimiter" -> delimiter = require(value, o[0], sql).charAt(0);
        case "null" -> nullString = require(value, o[0], sql);
        case "header" -> header = value == null || !value.equalsIgnoreCase("false");
        case "quote" -> quote = require(value, o[0], sql).charAt(0);
        case "escape" -> escape = require(value, o[0], sql).charAt(0);
        case "encoding" -> {
          if (!require(value, o[0], sql).replace("-", "").equalsIgnoreCase("utf8")) {
            throw new IllegalArgumentException("copy data can be masked in utf8 only");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "copy option `" + o[0] + "` cannot be masked: `" + abbreviate(sql) + "`");
      }
    }
    CopyFormat base =
        switch (kind) {
          case TEXT -> CopyFormat.text();
          case CSV -> CopyFormat.csv();
          case BINARY -> CopyFormat.binary();
        };
    return new CopyFormat(
        kind,
        delimiter == null ? base.delimiter() : delimiter,
        nullString == null ? base.nullString() : nullString,
        quote,
        escape == null ? quote : escape,
        header);
  }

  private static String require(String value, String option, String sql) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "copy option `" + option + "` needs a value: `" + abbreviate(sql) + "`");
    }
    return value;
  }

  static String abbreviate(String sql) {
    String s = sql.strip().replaceAll("\\s+", " ");
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  /** Splits legacy option words ({@code CSV HEADER DELIMITER ','}) into name/value pairs. */
  static List<String[]> pairs(List<String> words) {
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i).toLowerCase(Locale.ROOT);
      boolean takesValue =
          w.equals("delimiter")
              || w.equals("null")
              || w.equals("quote")
              || w.equals("escape")
              || w.equals("encoding");
      if (w.equals("as") && i + 1 < words.size()) {
        continue;
      }
      if (takesValue && i + 1 < words.size()) {
        String next = words.get(i + 1);
        if (next.equalsIgnoreCase("as") && i + 2 < words.size()) {
          i++;
        }
        out.add(new String[] {w, words.get(++i)});
      } else {
        out.add(new String[] {w});
      }
    }
    return out;
  }
}
