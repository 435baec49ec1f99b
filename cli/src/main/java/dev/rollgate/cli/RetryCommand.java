package dev.rollgate.cli;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;

/** {@code kubectl rollgate retry NAME}: roll a failed image again. */
@Command(
        name = "retry",
        header = "Roll the failed image that spec.image names once more.",
        description = {
            "Try the failed image that spec.image still names once more: sets the annotation rollgate.dev/retry to a "
                    + "new token (the time) and removes rollgate.dev/abort, in one merge patch. Without it the operator "
                    + "never rolls a failed image again by itself."
        })
final class RetryCommand extends ApiDeploymentCommand {
    /** RFC 3339 with nanoseconds, in UTC: a new value each time. */
    static final DateTimeFormatter TOKEN =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSX").withZone(ZoneOffset.UTC);

    @Override
    int run(ApiDeployments apiDeployments) {
        apiDeployments.requestRetry(name, TOKEN.format(clock().instant()));
        out().println(resourceName() + " retry requested");
        return ExitCodes.OK;
    }
}
