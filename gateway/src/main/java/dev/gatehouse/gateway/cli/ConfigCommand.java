package dev.gatehouse.gateway.cli;

import picocli.CommandLine.Command;

/** {@code gatehouse config}: configuration tools. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check a gateway config file.",
    subcommands = {ConfigValidateCommand.class})
public final class ConfigCommand {}
