package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.detect.DetectorType;
import java.util.List;
import java.util.Set;

/**
 * The masking in force for one principal: column rules, content detectors, what to do when lineage
 * cannot be established, what masked columns may do outside the select list, and how the catalog's
 * value-bearing columns are treated.
 *
 * @param rules column rules that apply (exemptions already removed)
 * @param detectors content detectors that run on every column no rule masks
 * @param denyOpaqueLineage deny a statement whose output lineage is unknown, instead of relying on
 *     detectors
 * @param inference the default for masked columns used outside the select list
 * @param denyCatalogChannels refuse statements that read {@link CatalogChannels} data (else it is
 *     masked)
 */
public record MaskingPolicy(
    List<MaskRule> rules,
    Set<DetectorType> detectors,
    boolean denyOpaqueLineage,
    Inference inference,
    boolean denyCatalogChannels) {

  public static final MaskingPolicy NONE =
      new MaskingPolicy(List.of(), Set.of(), false, Inference.ALLOW, false);

  /** Lookups only, catalog channels refused: the fail-closed defaults. */
  public MaskingPolicy(List<MaskRule> rules, Set<DetectorType> detectors, boolean denyOpaque) {
    this(rules, detectors, denyOpaque, Inference.LOOKUP, true);
  }

  public MaskingPolicy {
    rules = List.copyOf(rules);
    detectors = Set.copyOf(detectors);
    inference = inference == null ? Inference.LOOKUP : inference;
  }

  /** The first rule (in policy order) that masks {@code column}, or null. */
  public MaskRule ruleFor(dev.gatehouse.engine.sql.model.ColumnRef column) {
    return new RuleMatcher(rules).match(column);
  }

  /** What {@code rule}'s column may do outside the select list. */
  public Inference inferenceOf(MaskRule rule) {
    return rule.inference() != null ? rule.inference() : inference;
  }

  public boolean isEmpty() {
    return rules.isEmpty() && detectors.isEmpty();
  }
}
