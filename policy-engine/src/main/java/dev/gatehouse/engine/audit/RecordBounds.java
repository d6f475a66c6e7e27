package dev.gatehouse.engine.audit;

/**
 * How much of a statement's text and bind parameters one audit record keeps. Past either bound the
 * record keeps the first characters, the length and the SHA-256 of what was cut, and says so: one
 * client could otherwise put a 64 MiB message or bind value into one record, which stalls the
 * writer past the durable timeout (refusing everyone's statements) and bloats the control database.
 *
 * @param maxSqlChars characters of statement text kept whole ({@code audit.record.maxSqlChars})
 * @param maxParamChars characters of all of a statement's parameter values together ({@code
 *     audit.record.maxParamChars}); with {@code params: hmac} each kept hash counts 64
 */
public record RecordBounds(int maxSqlChars, int maxParamChars) {

  /** 64 Ki characters: far above any hand-written statement, a few ORM-made IN lists included. */
  public static final int DEFAULT_CHARS = 64 * 1024;

  /** Below this a record cannot show enough of a statement to be read. */
  public static final int MIN_CHARS = 1024;

  /** Above this one record can again take the writer longer than the durable timeout. */
  public static final int MAX_CHARS = 1024 * 1024;

  public static final RecordBounds DEFAULTS = new RecordBounds(DEFAULT_CHARS, DEFAULT_CHARS);

  public RecordBounds {
    check("record.maxSqlChars", maxSqlChars);
    check("record.maxParamChars", maxParamChars);
  }

  private static void check(String field, int value) {
    if (value < MIN_CHARS || value > MAX_CHARS) {
      throw new IllegalArgumentException(
          "audit `"
              + field
              + "` must be between "
              + MIN_CHARS
              + " and "
              + MAX_CHARS
              + " characters, got "
              + value);
    }
  }
}
