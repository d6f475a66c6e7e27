package dev.gatehouse.engine.masking.catalog;

import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;

/** What masking needs to know of a database's catalog: relations, their columns, view lineage. */
public interface Catalog {

  /**
   * An object that stays the same ({@code ==}) as long as every answer about {@code database} does,
   * or null when that is not known (answers then must not be kept).
   */
  default Object generation(String database) {
    return null;
  }

  /** The relation with {@code oid}, or null when there is none. */
  RelationInfo relation(String database, int oid);

  /** The relation called {@code name}, or null when there is none. */
  RelationInfo relation(String database, TableRef name);

  /**
   * The relation called {@code name} as the database has it now: a name not found in the cache is
   * looked up again (it may have been created since), one found is served from the cache.
   */
  default RelationInfo relationNow(String database, TableRef name) {
    return relation(database, name);
  }

  /** Every relation called {@code name} in any schema (for a schema guessed without a catalog). */
  List<RelationInfo> relationsNamed(String database, String name);

  /** The type with {@code oid}, or null when there is none. */
  TypeInfo type(String database, int oid);

  /** Forgets what is cached for {@code database}, e.g. after DDL ran there. */
  void invalidate(String database);
}
