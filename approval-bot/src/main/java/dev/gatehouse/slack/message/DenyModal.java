package dev.gatehouse.slack.message;

import com.slack.api.model.block.InputBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.element.PlainTextInputElement;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewClose;
import com.slack.api.model.view.ViewSubmit;
import com.slack.api.model.view.ViewTitle;
import dev.gatehouse.engine.approval.ApprovalRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The modal that asks a denying approver why. A modal (rather than a text box in the shared
 * message) gives each approver a private, required reason field and a clear Submit, and its
 * submission is a separate signed callback that is checked again from scratch.
 */
public final class DenyModal {

  /** Longest reason kept; the approval record and the message show it. */
  public static final int MAX_REASON = 500;

  private DenyModal() {}

  /** The modal for {@code request}; the private metadata carries the request and the channel. */
  public static View view(ApprovalRequest request, String channel) {
    return View.builder()
        .type("modal")
        .callbackId(ActionIds.DENY_MODAL)
        .privateMetadata(request.id() + "|" + (channel == null ? "" : channel))
        .title(ViewTitle.builder().type("plain_text").text("Deny request").build())
        .submit(ViewSubmit.builder().type("plain_text").text("Deny").build())
        .close(ViewClose.builder().type("plain_text").text("Cancel").build())
        .blocks(
            List.of(
                SectionBlock.builder()
                    .text(
                        ApprovalMessage.markdown(
                            "Deny the statement of "
                                + SlackText.inline(request.requesterSubject(), 120)
                                + " on "
                                + SlackText.inline(request.database(), 120)
                                + "?\n"
                                + SlackText.codeBlock(request.sql(), 1500)))
                    .build(),
                InputBlock.builder()
                    .blockId(ActionIds.REASON_BLOCK)
                    .label(ApprovalMessage.plain("Reason (the requester sees it)"))
                    .element(
                        PlainTextInputElement.builder()
                            .actionId(ActionIds.REASON_INPUT)
                            .multiline(true)
                            .minLength(3)
                            .maxLength(MAX_REASON)
                            .build())
                    .build()))
        .build();
  }

  /** The request id and channel a submission's private metadata names. */
  public static Optional<Target> target(String privateMetadata) {
    if (privateMetadata == null) {
      return Optional.empty();
    }
    String[] parts = privateMetadata.split("\\|", 2);
    try {
      UUID id = UUID.fromString(parts[0]);
      String channel = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
      return Optional.of(new Target(id, channel));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Which request a modal is about, and where its message is. */
  public record Target(UUID requestId, String channel) {}
}
