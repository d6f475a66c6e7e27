package dev.gatehouse.engine.text;

/**
 * Text a client wrote (its SQL above all), made safe to show an approver or a reviewer: every
 * control, format (bidirectional overrides, zero-width), unassigned or private-use character, and
 * every line or paragraph separator, is written {@code [U+XXXX]}, as the Slack messages write them.
 * A terminal or a browser shows it and does not act on it. A client's text must not move the
 * cursor, erase a line or reorder text where an approver reads it. Red-team round 37: an escape
 * sequence and a carriage return inside a comment made `gatehouse approvals show` print `NOTIFY`
 * where an UPDATE of every row was to be approved. A line break ({@code \n} or {@code \r\n}) and a
 * tab stay; the caller says what follows a line break, so that no line of the text can pass for
 * another field.
 */
public final class VisibleText {

  private VisibleText() {}

  /** {@code text} shown as it is, with {@code newline} for each line break. */
  public static String of(String text, String newline) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      String shown = null;
      if (cp == '\r' && next < text.length() && text.charAt(next) == '\n') {
        shown = newline;
        next++;
      } else if (cp == '\n') {
        shown = newline.equals("\n") ? null : newline;
      } else if (cp != '\t' && hidden(cp)) {
        shown = String.format("[U+%04X]", cp);
      }
      if (shown != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (shown != null) {
          out.append(shown);
        } else {
          out.appendCodePoint(cp);
        }
      }
      i = next;
    }
    return out == null ? text : out.toString();
  }

  /** On one line: a line break is written {@code [U+000A]}. */
  public static String line(String text) {
    return of(text, "[U+000A]");
  }

  /**
   * True when code point {@code cp} is shown as {@code [U+XXXX]} wherever a client's or the data's
   * text reaches a person or a model: the console, the CLI, the Slack messages and the MCP tools'
   * untrusted-data blocks alike.
   */
  public static boolean hidden(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
