package dev.rollgate.cli;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.URL;

/**
 * A failure reported the way kubectl reports it: one line on stderr, exit code 1. The line is the
 * message, ready to print: {@code error: ...} for what the plugin found wrong, or
 * {@code Error from server (Reason): ...} for what the API server refused.
 */
public final class CommandFailure extends RuntimeException {
    public static final String RESOURCE = "apideployments.rollgate.dev";

    private CommandFailure(String line) {
        super(line);
    }

    public static CommandFailure error(String message) {
        return new CommandFailure("error: " + message);
    }

    /**
     * kubectl's words for a missing object:
     * {@code Error from server (NotFound): apideployments.rollgate.dev "web" not found}.
     */
    public static CommandFailure notFound(String name) {
        return new CommandFailure("Error from server (NotFound): " + RESOURCE + " \"" + name + "\" not found");
    }

    /**
     * What the API server answered, in kubectl's words; or, when no answer came (connection refused,
     * TLS, a timeout), that the server could not be reached and why.
     */
    public static CommandFailure fromServer(KubernetesClientException e, String name, URL server) {
        if (e.getCode() == 404) {
            return notFound(name);
        }
        Status status = e.getStatus();
        if (status != null && status.getMessage() != null && e.getCode() > 0) {
            String reason =
                    status.getReason() == null || status.getReason().isEmpty() ? "" : " (" + status.getReason() + ")";
            return new CommandFailure("Error from server" + reason + ": " + status.getMessage());
        }
        return error("cannot reach the Kubernetes API server at " + server + ": " + why(e));
    }

    /**
     * Why a request got no answer: the JDK's HTTP client reports a refused connection as a
     * ConnectException without a message, so say it; otherwise the deepest message there is.
     */
    private static String why(Throwable e) {
        String why = e.getMessage();
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause.getMessage() != null) {
                why = cause.getMessage();
            }
        }
        return why;
    }
}
