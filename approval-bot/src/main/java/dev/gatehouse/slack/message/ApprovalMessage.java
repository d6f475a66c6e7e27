package dev.gatehouse.slack.message;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.ButtonElement;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Block Kit message for one approval request in its current state: the facts an approver needs,
 * then Approve / Deny buttons while it is pending, or the outcome once it is not.
 */
public final class ApprovalMessage {

  /** Claims shown elsewhere in the message or too noisy to repeat. */
  private static final Set<String> HIDDEN_CLAIMS = Set.of("kind", "name");

  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final int sqlPreviewChars;

  public ApprovalMessage(int sqlPreviewChars) {
    this.sqlPreviewChars = sqlPreviewChars;
  }

  /** The notification text (push notifications, screen readers); no mrkdwn. */
  public String fallbackText(ApprovalRequest r) {
    return SlackText.escape(
        headline(r) + ": " + r.requesterSubject() + " on " + r.database() + " (" + r.id() + ")");
  }

  /**
   * The blocks for {@code r} as of {@code now}: a pending request past its expiry shows as expired,
   * without buttons, even before the service marks it so.
   */
  public List<LayoutBlock> blocks(ApprovalRequest r, Instant now) {
    if (r.state() == ApprovalState.PENDING && !r.expiresAt().isAfter(now)) {
      r = r.withState(ApprovalState.EXPIRED);
    }
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(
        HeaderBlock.builder()
            .text(plain(SlackText.plain(headline(r) + " · " + r.database(), 150)))
            .build());
    blocks.add(SectionBlock.builder().fields(facts(r)).build());
    String claims = claims(r.requesterClaims());
    if (!claims.isEmpty()) {
      blocks.add(section("*Requester claims*\n" + claims));
    }
    blocks.add(section("*Statement*\n" + SlackText.codeBlock(r.sql(), sqlPreviewChars)));
    if (!r.params().isEmpty()) {
      blocks.add(section("*Parameters*\n" + params(r.params())));
    }
    blocks.add(
        section(
            "*Why approval is needed*\n"
                + SlackText.codeBlock(r.reasons() == null ? "" : r.reasons(), 1200)
                + "\nRules: "
                + rules(r.ruleIds())));
    if (r.state() == ApprovalState.PENDING) {
      blocks.add(buttons(r));
    } else {
      blocks.add(section(outcome(r)));
    }
    blocks.add(
        ContextBlock.builder()
            .elements(
                List.of(
                    markdown(
                        "Request "
                            + SlackText.inline(r.id().toString(), 64)
                            + " · also decidable with `gatehouse approvals approve|deny`")))
            .build());
    return blocks;
  }

  /** One line saying how a decided request ended, for the message and direct messages. */
  public String outcome(ApprovalRequest r) {
    String by = SlackText.inline(r.decidedBy(), 200);
    String at = r.decidedAt() == null ? "" : " at " + date(r.decidedAt());
    String why = r.decisionReason() == null ? "" : ": " + SlackText.inline(r.decisionReason(), 500);
    return switch (r.state()) {
      case PENDING -> ":hourglass_flowing_sand: Waiting for an approver";
      case APPROVED -> ":white_check_mark: *Approved* by " + by + at;
      case USED -> ":white_check_mark: *Approved* by " + by + at + "; the statement has run";
      case DENIED -> ":no_entry: *Denied* by " + by + at + why;
      case EXPIRED -> ":hourglass: *Expired* at " + date(r.expiresAt()) + " without a decision";
      case CANCELLED -> ":no_entry_sign: *Cancelled*" + at + why;
    };
  }

  private static String headline(ApprovalRequest r) {
    return switch (r.state()) {
      case PENDING -> "Approval needed";
      case APPROVED, USED -> "Approved";
      case DENIED -> "Denied";
      case EXPIRED -> "Expired";
      case CANCELLED -> "Cancelled";
    };
  }

  private List<TextObject> facts(ApprovalRequest r) {
    String name = r.requesterClaims().get("name");
    String requester =
        (name == null ? "" : SlackText.escape(SlackText.plain(name, 80)) + " ")
            + SlackText.inline(r.requesterSubject(), 120)
            + "\n"
            + SlackText.inline(r.requesterIssuer(), 200);
    return List.of(
        markdown("*Requester*\n" + requester),
        markdown("*Kind*\n" + kind(r.requesterClaims())),
        markdown("*Database*\n" + SlackText.inline(r.database(), 120)),
        markdown("*Expires*\n" + date(r.expiresAt())));
  }

  private static String kind(Map<String, String> claims) {
    String kind = claims.getOrDefault("kind", "");
    return switch (kind.toLowerCase(java.util.Locale.ROOT)) {
      case "person" -> "person";
      case "workload" -> "CI / batch workload";
      default -> "unknown";
    };
  }

  private static String claims(Map<String, String> claims) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (var e : new TreeMap<>(claims).entrySet()) {
      if (HIDDEN_CLAIMS.contains(e.getKey())) {
        continue;
      }
      if (shown++ == 12) {
        out.append("… ").append(claims.size() - HIDDEN_CLAIMS.size() - 12).append(" more\n");
        break;
      }
      out.append(SlackText.inline(e.getKey(), 60))
          .append(": ")
          .append(SlackText.inline(e.getValue(), 200))
          .append('\n');
    }
    return out.toString().stripTrailing();
  }

  private static String params(List<String> params) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < params.size() && i < 10; i++) {
      out.append('$').append(i + 1).append(" = ").append(SlackText.inline(params.get(i), 150));
      out.append('\n');
    }
    if (params.size() > 10) {
      out.append("… ").append(params.size() - 10).append(" more\n");
    }
    if (dev.gatehouse.engine.approval.ApprovalParams.hashed(params)) {
      out.append('_').append(dev.gatehouse.engine.approval.ApprovalParams.NOTE).append('_');
    }
    return out.toString().stripTrailing();
  }

  private static String rules(List<String> ruleIds) {
    if (ruleIds.isEmpty()) {
      return "_none_";
    }
    return String.join(
        ", ", ruleIds.stream().limit(10).map(id -> SlackText.inline(id, 80)).toList());
  }

  private static ActionsBlock buttons(ApprovalRequest r) {
    ButtonElement approve =
        ButtonElement.builder()
            .actionId(ActionIds.approve(r.id()))
            .text(plain("Approve"))
            .value(r.id().toString())
            .style("primary")
            .confirm(
                ConfirmationDialogObject.builder()
                    .title(plain("Approve this statement?"))
                    .text(
                        plain(
                            "It runs once, as shown, for "
                                + SlackText.plain(r.requesterSubject(), 100)
                                + "."))
                    .confirm(plain("Approve"))
                    .deny(plain("Cancel"))
                    .build())
            .build();
    ButtonElement deny =
        ButtonElement.builder()
            .actionId(ActionIds.deny(r.id()))
            .text(plain("Deny…"))
            .value(r.id().toString())
            .style("danger")
            .build();
    return ActionsBlock.builder()
        .blockId("gatehouse.decision")
        .elements(List.of(approve, deny))
        .build();
  }

  /** A Slack date token: shown in each reader's own time zone, with a UTC fallback. */
  static String date(Instant at) {
    if (at == null) {
      return "_unknown_";
    }
    return "<!date^"
        + at.getEpochSecond()
        + "^{date_short_pretty} {time_secs}|"
        + UTC.format(at)
        + ">";
  }

  private static SectionBlock section(String mrkdwn) {
    return SectionBlock.builder().text(markdown(mrkdwn)).build();
  }

  static MarkdownTextObject markdown(String text) {
    return MarkdownTextObject.builder().text(text).build();
  }

  static PlainTextObject plain(String text) {
    return PlainTextObject.builder().text(text).emoji(true).build();
  }
}
