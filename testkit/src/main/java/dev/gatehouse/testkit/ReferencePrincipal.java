package dev.gatehouse.testkit;

import java.util.List;

/** The principals of the reference policy in {@code corpus/README.md}. */
public enum ReferencePrincipal {
  ANALYST("analyst", false, List.of("analysts")),
  ETL_NIGHTLY("etl-nightly", true, List.of("etl")),
  SUPPORT_LEAD("support-lead", false, List.of("analysts", "pii-cleared")),
  DBA("dba", false, List.of("dba")),
  CONTRACTOR("contractor", false, List.of("contractors"));

  private final String subject;
  private final boolean workload;
  private final List<String> groups;

  ReferencePrincipal(String subject, boolean workload, List<String> groups) {
    this.subject = subject;
    this.workload = workload;
    this.groups = groups;
  }

  /** The {@code sub} claim, also the principal's name in the corpus files. */
  public String subject() {
    return subject;
  }

  /** True for a CI or batch job that gets its token by the client-credentials grant. */
  public boolean workload() {
    return workload;
  }

  public List<String> groups() {
    return groups;
  }

  /** The principal named {@code name} in a corpus file. */
  public static ReferencePrincipal of(String name) {
    for (ReferencePrincipal p : values()) {
      if (p.subject.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no reference principal named `" + name + "`");
  }
}
