package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.CatalogChannels;
import dev.gatehouse.engine.masking.Inference;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.masking.detect.DetectorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The masking section of the policy: column rules with the groups exempt from them, content
 * detectors, and the choice for output whose lineage is unknown.
 *
 * @param exemptGroups groups exempt from every rule and detector (e.g. {@code pii-cleared})
 * @param inference what masked columns may do outside the select list, unless a rule says
 * @param denyCatalogChannels refuse reading catalog columns that hold table values or other
 *     sessions' SQL ({@link CatalogChannels}); else they are masked
 */
public record MaskingSettings(
    List<Entry> rules,
    List<String> exemptGroups,
    Set<DetectorType> detectors,
    boolean denyOpaque,
    Inference inference,
    boolean denyCatalogChannels) {

  public static final MaskingSettings NONE =
      new MaskingSettings(List.of(), List.of(), Set.of(), false, Inference.LOOKUP, true);

  /** Settings with the fail-closed defaults: lookups only, catalog channels refused. */
  public MaskingSettings(
      List<Entry> rules,
      List<String> exemptGroups,
      Set<DetectorType> detectors,
      boolean denyOpaque) {
    this(rules, exemptGroups, detectors, denyOpaque, Inference.LOOKUP, true);
  }

  /** A column rule and the groups exempt from it alone. */
  public record Entry(MaskRule rule, List<String> exemptGroups) {
    public Entry {
      exemptGroups = List.copyOf(exemptGroups);
    }
  }

  public MaskingSettings {
    rules = List.copyOf(rules);
    exemptGroups = List.copyOf(exemptGroups);
    detectors = Set.copyOf(detectors);
  }

  /** The masking in force for {@code p}: exemptions removed. */
  public MaskingPolicy forPrincipal(Principal p) {
    if (exemptGroups.stream().anyMatch(p.groups()::contains)) {
      return MaskingPolicy.NONE;
    }
    if (rules.isEmpty() && detectors.isEmpty()) {
      return MaskingPolicy.NONE;
    }
    List<MaskRule> inForce =
        new ArrayList<>(
            rules.stream()
                .filter(e -> e.exemptGroups().stream().noneMatch(p.groups()::contains))
                .map(Entry::rule)
                .toList());
    // Statistics and other sessions' SQL hold the values these rules mask.
    inForce.addAll(CatalogChannels.RULES);
    return new MaskingPolicy(inForce, detectors, denyOpaque, inference, denyCatalogChannels);
  }
}
