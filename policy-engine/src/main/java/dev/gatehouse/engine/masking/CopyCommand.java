package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.CopySyntax;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code COPY ... TO STDOUT} statement as masking needs it: the query whose rows it sends (to
 * describe for the plan and to analyse for lineage) and the data format. Statements that are not
 * {@code COPY ... TO STDOUT} give a clear error. The statement is read once, by {@link CopySyntax},
 * the same reading the analyser judged, so the rows masked are the rows policy allowed.
 *
 * @param query {@code TABLE t}, {@code SELECT cols FROM t}, or the parenthesized query
 * @see <a href="https://www.postgresql.org/docs/current/sql-copy.html">COPY</a>
 */
public record CopyCommand(String query, CopyFormat format) {

  /** Options that change only COPY FROM or only which values are quoted: not how rows split. */
  private static final Set<String> LAYOUT_NEUTRAL =
      Set.of("force_quote", "force_not_null", "force_null", "freeze", "on_error", "default");

  /**
   * Parses {@code sql} with the analyser's reading of COPY ({@link CopySyntax}); throws {@link
   * IllegalArgumentException} for anything but a {@code COPY ... TO STDOUT} it can mask.
   */
  public static CopyCommand parse(String sql) {
    return of(CopySyntax.parse(sql), sql);
  }

  /** The masking form of a COPY already read; throws as {@link #parse} does. */
  public static CopyCommand of(CopySyntax copy, String sql) {
    if (!copy.toClient() || copy.target() != CopySyntax.Target.CLIENT) {
      throw new IllegalArgumentException(
          "only copy ... to stdout can be masked: `" + CopySyntax.abbreviate(sql) + "`");
    }
    return new CopyCommand(copy.rowsQuery(), format(copy.options(), sql));
  }

  private static CopyFormat format(List<CopySyntax.Option> options, String sql) {
    CopyFormat.Kind kind = CopyFormat.Kind.TEXT;
    Character delimiter = null;
    String nullString = null;
    char quote = '"';
    Character escape = null;
    boolean header = false;
    for (CopySyntax.Option o : options) {
      String value = o.value();
      switch (o.name()) {
        case "format" -> kind = kind(require(value, o.name(), sql), sql);
        case "csv" -> kind = CopyFormat.Kind.CSV;
        case "binary" -> kind = CopyFormat.Kind.BINARY;
        case "text" -> kind = CopyFormat.Kind.TEXT;
        case "delimiter" -> delimiter = single(require(value, o.name(), sql), o.name(), sql);
        case "null" -> nullString = value == null ? "" : value;
        case "header" -> header = value == null || truth(value);
        case "quote" -> quote = single(require(value, o.name(), sql), o.name(), sql);
        case "escape" -> escape = single(require(value, o.name(), sql), o.name(), sql);
        case "encoding" -> {
          String e = require(value, o.name(), sql).replace("-", "").replace("_", "");
          if (!e.equalsIgnoreCase("utf8") && !e.equalsIgnoreCase("unicode")) {
            throw new IllegalArgumentException(
                "copy data with masked columns can be sent in encoding utf8 only, not `"
                    + value
                    + "`");
          }
        }
        default -> {
          if (!LAYOUT_NEUTRAL.contains(o.name())) {
            throw new IllegalArgumentException(
                "copy option `" + o.name() + "` cannot be masked: `" + abbreviate(sql) + "`");
          }
        }
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

  private static CopyFormat.Kind kind(String value, String sql) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "text" -> CopyFormat.Kind.TEXT;
      case "csv" -> CopyFormat.Kind.CSV;
      case "binary" -> CopyFormat.Kind.BINARY;
      default ->
          throw new IllegalArgumentException(
              "copy format `" + value + "` is not text, csv or binary: `" + abbreviate(sql) + "`");
    };
  }

  private static boolean truth(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "false", "off", "0", "no" -> false;
      default -> true; // true, on, 1, match (MATCH is for COPY FROM)
    };
  }

  private static String require(String value, String option, String sql) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "copy option `" + option + "` needs a value: `" + abbreviate(sql) + "`");
    }
    return value;
  }

  private static char single(String value, String option, String sql) {
    if (value.length() != 1) {
      throw new IllegalArgumentException(
          "copy option `" + option + "` must be a single character: `" + abbreviate(sql) + "`");
    }
    return value.charAt(0);
  }

  static String abbreviate(String sql) {
    return CopySyntax.abbreviate(sql);
  }
}
