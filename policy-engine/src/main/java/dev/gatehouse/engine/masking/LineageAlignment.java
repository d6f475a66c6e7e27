package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lines up the analysis's output columns with the result's. A star entry (a base relation's {@code
 * *}) stands for however many columns the result has in its place; when the shapes cannot be lined
 * up, every result column is given the lineage of all output columns, which can only mask more.
 */
final class LineageAlignment {

  private LineageAlignment() {}

  /** Per result column, its lineage, or null where the analysis gives none. */
  static OutputColumn[] align(List<OutputColumn> lineage, int width) {
    OutputColumn[] out = new OutputColumn[width];
    if (lineage.isEmpty() || width == 0) {
      return out;
    }
    int firstStar = -1;
    int lastStar = -1;
    for (int i = 0; i < lineage.size(); i++) {
      if (isStar(lineage.get(i))) {
        lastStar = i;
        if (firstStar < 0) {
          firstStar = i;
        }
      }
    }
    if (firstStar < 0 && lineage.size() == width) {
      return lineage.toArray(OutputColumn[]::new);
    }
    int suffix = firstStar < 0 ? 0 : lineage.size() - lastStar - 1;
    if (firstStar < 0 || firstStar + suffix > width) {
      Arrays.fill(out, union("?column?", lineage));
      return out;
    }
    for (int i = 0; i < firstStar; i++) {
      out[i] = lineage.get(i);
    }
    for (int i = 0; i < suffix; i++) {
      out[width - suffix + i] = lineage.get(lastStar + 1 + i);
    }
    // Only stars in the middle: each position is some table's column, named as the result names it.
    List<OutputColumn> middleEntries = lineage.subList(firstStar, lastStar + 1);
    boolean onlyStars = middleEntries.stream().allMatch(LineageAlignment::isStar);
    OutputColumn middle =
        union(onlyStars ? LineageResolver.ALL_COLUMNS : "?column?", middleEntries);
    for (int i = firstStar; i < width - suffix; i++) {
      out[i] = middle;
    }
    return out;
  }

  private static boolean isStar(OutputColumn c) {
    return c.name().equals(LineageResolver.ALL_COLUMNS);
  }

  private static OutputColumn union(String name, List<OutputColumn> columns) {
    List<dev.gatehouse.engine.sql.model.ColumnRef> sources = new ArrayList<>();
    boolean opaque = false;
    for (OutputColumn c : columns) {
      sources.addAll(c.sources());
      opaque |= c.opaque();
    }
    return new OutputColumn(name, new java.util.LinkedHashSet<>(sources), opaque);
  }
}
