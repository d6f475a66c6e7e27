/** The database catalog as masking needs it: relations, columns, view lineage, types. */
package dev.gatehouse.engine.masking.catalog;
