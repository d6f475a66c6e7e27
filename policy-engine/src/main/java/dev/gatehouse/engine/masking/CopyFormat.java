package dev.gatehouse.engine.masking;

/**
 * The format of COPY ... TO STDOUT data, as its options set it.
 *
 * @param delimiter the field separator ({@code \t} for text, {@code ,} for CSV)
 * @param nullString what NULL is written as ({@code \N} for text, an unquoted empty field for CSV)
 * @param quote the CSV quote character
 * @param escape the CSV escape character (inside quotes)
 * @param header whether the first CSV line holds column names (it passes unchanged)
 */
public record CopyFormat(
    Kind kind, char delimiter, String nullString, char quote, char escape, boolean header) {

  /** COPY's three formats. */
  public enum Kind {
    TEXT,
    CSV,
    BINARY
  }

  public static CopyFormat text() {
    return new CopyFormat(Kind.TEXT, '\t', "\\N", '"', '"', false);
  }

  public static CopyFormat csv() {
    return new CopyFormat(Kind.CSV, ',', "", '"', '"', false);
  }

  public static CopyFormat binary() {
    return new CopyFormat(Kind.BINARY, '\t', "", '"', '"', false);
  }

  /** The wire format (0 text, 1 binary) that the mask plan's columns must be planned with. */
  public int columnFormat() {
    return kind == Kind.BINARY ? ResultColumn.BINARY : ResultColumn.TEXT;
  }
}
