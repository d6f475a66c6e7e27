package dev.gatehouse.gateway.cli;

import picocli.CommandLine.Command;

/** {@code gatehouse audit}: search and verify the audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Search the audit trail, verify that nobody changed it, or show its shipping lag.",
    subcommands = {AuditSearchCommand.class, AuditVerifyCommand.class, AuditLagCommand.class})
public final class AuditCommand {}
