package dev.rollgate.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} on a subcommand (the top-level command also has {@code --version}). */
final class HelpOption {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;
}
