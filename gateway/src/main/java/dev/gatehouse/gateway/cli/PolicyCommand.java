package dev.gatehouse.gateway.cli;

import picocli.CommandLine.Command;

/** {@code gatehouse policy}: policy tools. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Check statements or a corpus against the policy without running anything.",
    subcommands = {PolicyCheckCommand.class})
public final class PolicyCommand {}
