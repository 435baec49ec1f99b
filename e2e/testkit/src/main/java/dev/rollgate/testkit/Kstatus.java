package dev.rollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What the kstatus library ({@code sigs.k8s.io/cli-utils/pkg/kstatus}, the code behind Helm 4's
 * {@code --wait}, Flux's health checks and Argo CD's) computes for an object: InProgress, Current,
 * Failed. The real library, built from its Go module by {@code e2e/cluster/kstatus.sh}, given the
 * object's JSON on stdin.
 */
public final class Kstatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The library's verdict: {@code status} is InProgress, Current, Failed, Terminating, NotFound or Unknown. */
    public record Result(String status, String message) {}

    private final Path binary;

    private Kstatus(Path binary) {
        this.binary = binary;
    }

    /** Builds the tool when the cache does not have it yet (about 25 s the first time). */
    public static Kstatus build() {
        return new Kstatus(ClusterScripts.locate().kstatus());
    }

    /** The verdict on {@code object} (any fabric8 resource, serialised as the API server would). */
    public Result of(Object object) {
        String json = Serialization.asJson(object);
        try {
            Process p = new ProcessBuilder(binary.toString())
                    .redirectErrorStream(true)
                    .start();
            try (var in = p.getOutputStream()) {
                in.write(json.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kstatus failed: " + out);
            }
            JsonNode result = JSON.readTree(out);
            return new Result(
                    result.path("status").asText(), result.path("message").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
