package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.model.ColumnRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Matches base columns against the policy's {@code schema.table.column} globs. {@code *} matches
 * any characters; a selector with fewer than three parts is anchored at the column ({@code
 * *.card_number}, {@code ssn}). Matching ignores case: a rule must never miss because of it.
 */
final class RuleMatcher {

  private record Compiled(MaskRule rule, Pattern pattern) {}

  // A matcher is built for every planned result: compiling each selector once keeps the regex
  // compiler off that path. Selectors come from the policy, so the cache stays small; it is
  // emptied should reloads ever grow it.
  private static final int CACHE_LIMIT = 4096;
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  private final List<Compiled> rules = new ArrayList<>();

  RuleMatcher(List<MaskRule> rules) {
    for (MaskRule r : rules) {
      this.rules.add(new Compiled(r, cached(r.columnSelector())));
    }
  }

  private static Pattern cached(String selector) {
    Pattern p = selector == null ? null : COMPILED.get(selector);
    if (p == null) {
      p = compile(selector);
      if (COMPILED.size() >= CACHE_LIMIT) {
        COMPILED.clear();
      }
      COMPILED.put(selector, p);
    }
    return p;
  }

  static Pattern compile(String selector) {
    if (selector == null || selector.isBlank()) {
      throw new IllegalArgumentException("a masking rule needs a column selector");
    }
    String s = selector.strip().toLowerCase(Locale.ROOT);
    int parts = s.split("\\.", -1).length;
    StringBuilder regex = new StringBuilder(parts < 3 ? "(?:.*\\.)?" : "");
    for (String literal : s.split("\\*", -1)) {
      regex.append(Pattern.quote(literal)).append(".*");
    }
    regex.setLength(regex.length() - 2);
    return Pattern.compile(regex.toString());
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  /** True when {@code rule} (one of this matcher's) selects {@code column}. */
  boolean matches(MaskRule rule, ColumnRef column) {
    String name = column.qualified().toLowerCase(Locale.ROOT);
    for (Compiled c : rules) {
      if (c.rule() == rule && c.pattern().matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  /** The first rule (in policy order) that selects {@code column}, or null. */
  MaskRule match(ColumnRef column) {
    String name = column.qualified().toLowerCase(Locale.ROOT);
    for (Compiled c : rules) {
      if (c.pattern().matcher(name).matches()) {
        return c.rule();
      }
    }
    return null;
  }
}
