package dev.rollgate.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files that explain a failed cluster test, written by {@link SaveArtifactsOnFailure.Subject}s:
 * the operator's log, and of the app's namespace the ApiDeployments as YAML, {@code kubectl
 * describe} of what the operator owns or reads, and the Events in order.
 */
public final class FailureArtifacts {
    private FailureArtifacts() {}

    /** Copies the operator's log to {@code operator.log}, if it has one. */
    public static void saveOperatorLog(OperatorProcess operator, Path dir) throws IOException {
        Files.createDirectories(dir);
        if (operator != null && Files.exists(operator.log())) {
            Files.copy(operator.log(), dir.resolve("operator.log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code apideployment.yaml}, {@code describe.txt} and {@code events.txt} of the namespace. */
    public static void saveAppNamespace(Kubectl kubectl, String namespace, Path dir) throws IOException {
        Files.createDirectories(dir);
        save(dir, "apideployment.yaml", kubectl.run("get", "apideployments", "-n", namespace, "-o", "yaml"));
        save(
                dir,
                "describe.txt",
                kubectl.run("describe", "apideployments,deployments,statefulsets,pods,pvc", "-n", namespace));
        save(dir, "events.txt", kubectl.run("get", "events", "-n", namespace, "--sort-by=.lastTimestamp"));
    }

    /** Writes the command, its output and its exit code to {@code file}. */
    public static void save(Path dir, String file, Kubectl.Result result) throws IOException {
        Files.writeString(dir.resolve(file), result.toString());
    }
}
