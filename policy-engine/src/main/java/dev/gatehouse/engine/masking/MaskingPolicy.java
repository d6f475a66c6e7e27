package dev.gatehouse.engine.masking;

import java.util.List;
import java.util.Set;

/**
 * The masking in force for one principal: column rules, content detectors, and what to do when
 * lineage cannot be established.
 *
 * @param rules column rules that apply (exemptions already removed)
 * @param detectors content detectors that run on every column no rule masks
 * @param denyOpaqueLineage deny a statement whose output lineage is unknown, instead of relying on
 *     detectors
 */
public record MaskingPolicy(
    List<MaskRule> rules, Set<DetectorType> detectors, boolean denyOpaqueLineage) {

  public static final MaskingPolicy NONE = new MaskingPolicy(List.of(), Set.of(), false);

  public MaskingPolicy {
    rules = List.copyOf(rules);
    detectors = Set.copyOf(detectors);
  }

  /** The first rule (in policy order) that masks {@code column}, or null. */
  public MaskRule ruleFor(dev.gatehouse.engine.sql.ColumnRef column) {
    return new RuleMatcher(rules).match(column);
  }

  public boolean isEmpty() {
    return rules.isEmpty() && detectors.isEmpty();
  }
}
