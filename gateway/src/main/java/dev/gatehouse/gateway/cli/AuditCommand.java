package dev.gatehouse.gateway.cli;

import picocli.CommandLine.Command;

/** {@code gatehouse audit}: search and verify the audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Search the audit trail or verify that nobody changed it.",
    subcommands = {AuditSearchCommand.class, AuditVerifyCommand.class})
public final class AuditCommand {}
