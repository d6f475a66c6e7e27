package dev.gatehouse.slack.message;

import dev.gatehouse.engine.text.VisibleText;

/**
 * Makes untrusted text (SQL, subjects, claims) safe inside Slack {@code mrkdwn}: control characters
 * escaped as Slack requires ({@code & < >}), backticks neutralised so a code block never ends
 * early, invisible and bidirectional characters shown instead of hiding text, and truncation that
 * never splits an escape or a surrogate pair.
 *
 * <p>See https://api.slack.com/reference/surfaces/formatting#escaping
 */
public final class SlackText {

  /** Stands in for a backtick: looks alike, cannot open or close code. */
  static final char BACKTICK_STAND_IN = '\u02CB';

  private SlackText() {}

  /** Escapes Slack's three control characters; nothing else. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints().forEach(cp -> appendEscaped(out, cp));
    return out.toString();
  }

  /** A code block holding {@code text}, at most {@code maxChars} characters of escaped content. */
  public static String codeBlock(String text, int maxChars) {
    String clean = neutralize(layout(text), true);
    Truncated t = truncate(clean, maxChars);
    StringBuilder out = new StringBuilder("```\n").append(t.text());
    if (t.omitted() > 0) {
      out.append("\n… (").append(t.omitted()).append(" more characters not shown)");
    }
    return out.append("\n```").toString();
  }

  /** Inline code for one short value, on one line, at most {@code maxChars} characters. */
  public static String inline(String text, int maxChars) {
    if (text == null || text.isBlank()) {
      return "_none_";
    }
    Truncated t = truncate(neutralize(text.strip(), false), maxChars);
    return "`" + t.text() + (t.omitted() > 0 ? "…" : "") + "`";
  }

  /** Plain text (Slack {@code plain_text} objects need no escaping) cut to {@code maxChars}. */
  public static String plain(String text, int maxChars) {
    String clean = neutralize(text == null ? "" : text.strip(), false);
    if (clean.length() <= maxChars) {
      return clean;
    }
    int end = maxChars - 1;
    if (Character.isHighSurrogate(clean.charAt(end - 1))) {
      end--;
    }
    return clean.substring(0, end) + "…";
  }

  /** Tabs become two spaces and trailing blanks go, so the block reads the same everywhere. */
  private static String layout(String sql) {
    String normalized = sql.replace("\r\n", "\n").replace('\r', '\n').replace("\t", "  ");
    StringBuilder out = new StringBuilder(normalized.length());
    for (String line : normalized.strip().split("\n", -1)) {
      out.append(line.stripTrailing()).append('\n');
    }
    return out.isEmpty() ? "" : out.substring(0, out.length() - 1);
  }

  /**
   * Replaces backticks and shows every control, format (bidi overrides, zero-width) and unassigned
   * character as {@code [U+XXXX]}, so what an approver reads is what will run.
   */
  static String neutralize(String text, boolean keepNewlines) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == '`') {
                out.append(BACKTICK_STAND_IN);
              } else if (cp == '\n') {
                out.append(keepNewlines ? "\n" : " ");
              } else if (VisibleText.hidden(cp)) {
                out.append(String.format("[U+%04X]", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }

  /** The escaped text within {@code maxChars}, and how many source characters did not fit. */
  private static Truncated truncate(String text, int maxChars) {
    StringBuilder out = new StringBuilder(Math.min(text.length() + 16, maxChars + 8));
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int before = out.length();
      appendEscaped(out, cp);
      if (out.length() > maxChars) {
        out.setLength(before);
        return new Truncated(out.toString(), text.codePointCount(i, text.length()));
      }
      i += Character.charCount(cp);
    }
    return new Truncated(out.toString(), 0);
  }

  private static void appendEscaped(StringBuilder out, int cp) {
    switch (cp) {
      case '&' -> out.append("&amp;");
      case '<' -> out.append("&lt;");
      case '>' -> out.append("&gt;");
      default -> out.appendCodePoint(cp);
    }
  }

  private record Truncated(String text, int omitted) {}
}
