package dev.rollgate.cli;

/** The exit codes of {@code kubectl rollgate}, the contract with CI scripts (listed in {@code --help}). */
public final class ExitCodes {
    private ExitCodes() {}

    /** Done: rolled out, or the request was written. */
    public static final int OK = 0;
    /** Rolled back or failed; also any error (not found, refused, bad flags), as kubectl exits 1. */
    public static final int FAILED = 1;
    /** {@code status --watch}: the timeout passed with the rollout still in progress. */
    public static final int TIMEOUT = 2;
    /** {@code status} without {@code --watch}: the rollout is still in progress. */
    public static final int IN_PROGRESS = 3;
}
