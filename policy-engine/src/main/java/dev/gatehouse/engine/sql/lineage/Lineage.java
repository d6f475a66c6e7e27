package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.LinkedHashSet;
import java.util.Set;

/** The lineage of one value while it is being computed: the sources so far and opacity. */
final class Lineage {

  private final Set<ColumnRef> sources = new LinkedHashSet<>();
  private boolean opaque;

  static Lineage of(OutputColumn column) {
    Lineage l = new Lineage();
    l.add(column);
    return l;
  }

  Lineage add(ColumnRef source) {
    sources.add(source);
    return this;
  }

  Lineage add(OutputColumn column) {
    sources.addAll(column.sources());
    opaque |= column.opaque();
    return this;
  }

  Lineage add(Lineage other) {
    sources.addAll(other.sources);
    opaque |= other.opaque;
    return this;
  }

  Lineage markOpaque() {
    opaque = true;
    return this;
  }

  Set<ColumnRef> sources() {
    return sources;
  }

  boolean isOpaque() {
    return opaque;
  }

  OutputColumn named(String name) {
    return new OutputColumn(name, sources, opaque);
  }
}
