package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.ColumnRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which rule masks a column as analysis names it, without a catalog. Stricter than the planner's
 * matching, since nothing is expanded yet: a whole row ({@code t.*}) or a renamed column ({@code
 * t.#2}) is masked when any rule could select a column of {@code t}, and a column of another
 * relation with a masked column's name (a view such as {@code app.customer_contacts.email}) counts
 * as masked too.
 */
final class MaskedColumns {

  /**
   * Only a catalog relation's own name ({@code pg_catalog.pg_*}) is exempt from matching by column
   * name: analysis places an unqualified name in the first schema of the search_path that can hold
   * it, so with {@code SET search_path = information_schema, app} {@code customers} is named {@code
   * information_schema.customers}, and a schema-less name (an empty path) has no schema at all.
   */
  private static boolean systemRelation(ColumnRef source) {
    return "pg_catalog".equalsIgnoreCase(source.table().schema())
        && source.table().name().toLowerCase(Locale.ROOT).startsWith("pg_");
  }

  private record Compiled(MaskRule rule, Pattern table, Pattern name) {}

  private final RuleMatcher exact;
  private final List<Compiled> rules = new ArrayList<>();

  /** The built-in catalog rules among those in force (present only where masking applies). */
  private final Set<MaskRule> catalogRules = new java.util.HashSet<>();

  // Built for every decision under masking: compiling the selectors each time was the largest
  // share of a cached statement's admission (issue 15's profile). Rules come from the policy, so
  // few lists recur; the cache is emptied should reloads ever grow it. Instances are immutable.
  private static final int CACHE_LIMIT = 256;
  private static final java.util.Map<List<MaskRule>, MaskedColumns> BUILT =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The matcher of {@code rules}, built once per distinct list. */
  static MaskedColumns of(List<MaskRule> rules) {
    MaskedColumns m = BUILT.get(rules);
    if (m == null) {
      m = new MaskedColumns(List.copyOf(rules));
      if (BUILT.size() >= CACHE_LIMIT) {
        BUILT.clear();
      }
      BUILT.put(List.copyOf(rules), m);
    }
    return m;
  }

  private MaskedColumns(List<MaskRule> rules) {
    this.exact = new RuleMatcher(rules);
    for (MaskRule r : rules) {
      String s = r.columnSelector().strip().toLowerCase(Locale.ROOT);
      String[] parts = s.split("\\.", -1);
      Pattern table =
          parts.length >= 3
              ? RuleMatcher.compile(
                  String.join(".", java.util.Arrays.copyOf(parts, parts.length - 1)) + ".*")
              : null;
      Pattern name =
          r.id().startsWith(CatalogChannels.RULE_PREFIX)
              ? null
              : RuleMatcher.compile(parts[parts.length - 1]);
      this.rules.add(new Compiled(r, table, name));
      if (r.id().startsWith(CatalogChannels.RULE_PREFIX)) {
        catalogRules.add(r);
      }
    }
  }

  /** What a value from a function lineage cannot see into counts as: masked, redacted. */
  static final MaskRule OPAQUE =
      new MaskRule("opaque-function", "?opaque.?transformed", MaskStrategy.REDACT, 0);

  /** The first rule masking {@code source}, or null. */
  MaskRule ruleFor(ColumnRef source) {
    if (source.equals(LineageResolver.TRANSFORMED_OPAQUE)) {
      return OPAQUE;
    }
    String column = source.column();
    if (column.equals(LineageResolver.ALL_COLUMNS) || column.startsWith(LineageResolver.POSITION)) {
      String probe = source.table().qualified().toLowerCase(Locale.ROOT) + ".x";
      for (Compiled c : rules) {
        if (c.table() == null || c.table().matcher(probe).matches()) {
          return c.rule();
        }
      }
      return null;
    }
    MaskRule r = exact.match(source);
    if (r != null || source.table().schema() == null) {
      return r;
    }
    if (systemRelation(source)) {
      return channelRule(source);
    }
    for (Compiled c : rules) {
      if (c.name() != null && c.name().matcher(column.toLowerCase(Locale.ROOT)).matches()) {
        return c.rule();
      }
    }
    return channelRule(source);
  }

  /** A built-in catalog rule ({@link CatalogChannels}) that may select {@code source}, or null. */
  MaskRule catalogRule(ColumnRef source) {
    boolean whole =
        source.column().equals(LineageResolver.ALL_COLUMNS)
            || source.column().startsWith(LineageResolver.POSITION);
    String probe =
        source.table().qualified().toLowerCase(Locale.ROOT)
            + "."
            + (whole ? "x" : source.column().toLowerCase(Locale.ROOT));
    for (Compiled c : rules) {
      if (!c.rule().id().startsWith(CatalogChannels.RULE_PREFIX)) {
        continue;
      }
      boolean hit =
          whole
              ? c.table() != null && c.table().matcher(probe).matches()
              : exact.matches(c.rule(), source);
      if (hit) {
        return c.rule();
      }
    }
    return whole ? null : channelRule(source);
  }

  /** A catalog rule in force covering a column of a channel relation not known to be safe. */
  private MaskRule channelRule(ColumnRef source) {
    MaskRule unsafe = CatalogChannels.unsafeColumn(source.table(), source.column());
    return unsafe != null && catalogRules.contains(unsafe) ? unsafe : null;
  }

  /** The first rule masking any of {@code sources} (in policy order), or null. */
  MaskRule first(Set<ColumnRef> sources) {
    MaskRule best = null;
    int bestIndex = Integer.MAX_VALUE;
    for (ColumnRef s : sources) {
      MaskRule r = ruleFor(s);
      if (r != null && indexOf(r) < bestIndex) {
        best = r;
        bestIndex = indexOf(r);
      }
    }
    return best;
  }

  /** A source {@code rule} masks among {@code sources}, for messages. */
  ColumnRef witness(Set<ColumnRef> sources, MaskRule rule) {
    for (ColumnRef s : sources) {
      if (ruleFor(s) == rule) {
        return s;
      }
    }
    return sources.iterator().next();
  }

  private int indexOf(MaskRule r) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).rule() == r) {
        return i;
      }
    }
    return r == OPAQUE ? rules.size() : Integer.MAX_VALUE;
  }
}
