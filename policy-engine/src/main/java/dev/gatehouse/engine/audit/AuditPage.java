package dev.gatehouse.engine.audit;

import java.util.List;

/**
 * One page of search results, newest first.
 *
 * @param nextCursor pass to {@link AuditQuery#page} for the next page; null on the last page
 */
public record AuditPage(List<StatementRecord> items, String nextCursor) {
  public AuditPage {
    items = List.copyOf(items);
  }
}
