package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names visible at one level of a query: its FROM relations and CTEs, and the enclosing level
 * for correlated references.
 */
final class Scope {

  private final Scope parent;
  private final AnalysisContext context;
  private final List<Relation> relations = new ArrayList<>();
  private final Map<String, Relation.Derived> ctes = new HashMap<>();

  private Scope(Scope parent, AnalysisContext context) {
    this.parent = parent;
    this.context = context;
  }

  static Scope root(AnalysisContext context) {
    return new Scope(null, context);
  }

  /** A nested level (subquery) that sees this one's names. */
  Scope child() {
    return new Scope(this, context);
  }

  AnalysisContext context() {
    return context;
  }

  List<Relation> relations() {
    return relations;
  }

  void addRelation(Relation relation) {
    relations.add(relation);
  }

  void addCte(String name, Relation.Derived cte) {
    ctes.put(name, cte);
  }

  Relation.Derived cte(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      Relation.Derived found = s.ctes.get(name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The relation {@code alias} names, searching outwards, or null. */
  Relation relation(String alias) {
    for (Scope s = this; s != null; s = s.parent) {
      for (int i = s.relations.size() - 1; i >= 0; i--) {
        if (s.relations.get(i).alias().equals(alias)) {
          return s.relations.get(i);
        }
      }
    }
    return null;
  }

  /**
   * The lineage of an unqualified name. Without a catalog the owner of a name is known only for
   * derived relations; otherwise every base relation in reach may own it (the planner drops the
   * candidates its catalog shows do not exist), and a relation of that name is a whole-row
   * reference.
   */
  Lineage unqualified(String name) {
    Lineage result = new Lineage();
    for (Scope s = this; s != null; s = s.parent) {
      for (Relation r : s.relations) {
        if (r.hasColumn(name)) {
          return result.add(r.column(name));
        }
      }
      // A relation's alias that no relation here certainly has as a column: the whole row (a
      // column of that name, if the catalog has one, is part of the whole row anyway).
      boolean alias = s.relations.stream().anyMatch(r -> r.alias().equals(name));
      for (Relation r : s.relations) {
        if (!alias
            && (r instanceof Relation.Base
                || r instanceof Relation.Written
                || r instanceof Relation.Derived d && starOrOpen(d))) {
          result.add(r.column(name));
        }
        if (r.alias().equals(name)) {
          result.add(r.wholeRow());
        }
      }
    }
    return result;
  }

  /** True when some relation in reach certainly has a column {@code name}. */
  boolean unqualifiedIsColumn(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      for (Relation r : s.relations) {
        if (r.hasColumn(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * True when an unqualified {@code name} can only be a column of a table or view (never a computed
   * column of a subquery, CTE or function).
   */
  boolean onlyBaseOwners(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      for (Relation r : s.relations) {
        if (r.hasColumn(name)) {
          return r instanceof Relation.Base || r instanceof Relation.Written;
        }
      }
      for (Relation r : s.relations) {
        if (r instanceof Relation.Derived d && starOrOpen(d)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean starOrOpen(Relation.Derived d) {
    return d.open()
        || d.columns().stream().anyMatch(c -> c.name().equals(LineageResolver.ALL_COLUMNS));
  }
}
