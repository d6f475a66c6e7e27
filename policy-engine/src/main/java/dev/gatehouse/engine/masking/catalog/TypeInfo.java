package dev.gatehouse.engine.masking.catalog;

/**
 * A data type of the catalog.
 *
 * @param type pg_type.typtype: {@code b} base, {@code c} composite, {@code d} domain, {@code e}
 *     enum, ...
 * @param category pg_type.typcategory: {@code S} string, {@code A} array, {@code N} numeric, ...
 * @param elementOid for arrays the element type, else 0
 * @param baseTypeOid for domains the underlying type, else 0
 */
public record TypeInfo(int oid, char type, char category, int elementOid, int baseTypeOid) {}
