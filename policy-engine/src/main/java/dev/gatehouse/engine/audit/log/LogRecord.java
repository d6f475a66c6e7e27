package dev.gatehouse.engine.audit.log;

import java.util.UUID;

/**
 * One record of the local audit log, as appended: its place in the chain is final.
 *
 * @param atMicros the event time, microseconds since the epoch (what the chain hash covers)
 */
public record LogRecord(
    long seq, UUID id, String kind, long atMicros, String body, String prevHash, String hash) {}
