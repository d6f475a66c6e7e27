package dev.gatehouse.engine.admission;

import java.time.Instant;
import java.util.UUID;

/**
 * Where an approval request stands, as its requester may see it.
 *
 * @param state {@code pending}, {@code approved}, {@code denied}, {@code expired}, {@code
 *     cancelled} or {@code used}
 * @param decidedBy who decided, or null while pending
 * @param reason the approver's reason, or null
 */
public record ApprovalStatus(
    UUID id,
    String state,
    String sql,
    Instant expiresAt,
    String decidedBy,
    Instant decidedAt,
    String reason) {}
