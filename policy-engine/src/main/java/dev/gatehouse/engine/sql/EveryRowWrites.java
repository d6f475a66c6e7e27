package dev.gatehouse.engine.sql;

import net.sf.jsqlparser.statement.insert.ConflictActionType;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;

/** Writes that are not UPDATE or DELETE but may still change every row of their target. */
final class EveryRowWrites {

  private EveryRowWrites() {}

  /**
   * {@code INSERT ... SELECT ... FROM t ON CONFLICT DO UPDATE}: every row the source yields may
   * update an existing row, so a source that reads a table may update all of them.
   */
  static boolean upsertFromTable(Insert insert) {
    if (insert.getConflictAction() == null
        || insert.getConflictAction().getConflictActionType() != ConflictActionType.DO_UPDATE) {
      return false;
    }
    return readsTable(insert.getSelect());
  }

  private static boolean readsTable(Select select) {
    return switch (select) {
      case null -> false;
      case PlainSelect p -> p.getFromItem() != null;
      case SetOperationList l -> l.getSelects().stream().anyMatch(EveryRowWrites::readsTable);
      case net.sf.jsqlparser.statement.select.ParenthesedSelect p -> readsTable(p.getSelect());
      default -> false; // VALUES lists name their rows one by one
    };
  }
}
