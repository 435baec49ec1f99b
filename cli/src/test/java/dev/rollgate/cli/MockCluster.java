package dev.rollgate.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The plugin run as a user runs it, against fabric8's mock API server in CRUD mode, one fresh
 * server per test ({@code @RegisterExtension}): a kubeconfig file names the server, with context
 * {@code mock} (namespace prod, the current one) and context {@code other} (namespace staging);
 * each run passes it with {@code --kubeconfig}. Every request's body is kept as it arrived (the
 * CRUD dispatcher consumes the recorded one), to check the patches.
 */
final class MockCluster implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
    /** The time of every retry token and timeline in these tests. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T10:00:00.123456789Z"), ZoneOffset.UTC);
    /** The mock server logs every request at INFO; kept here so that the setting is not collected. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    /** What one command line printed and how it exited. */
    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    /** One request as the server received it. */
    record Request(String method, String path, String contentType, String body) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private Path kubeconfig;
    private String serverUrl;
    private boolean closed;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                responses,
                new KubernetesMixedDispatcher(responses) {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        requests.add(new Request(
                                request.getMethod(),
                                request.getPath(),
                                request.getHeader("Content-Type"),
                                new String(request.getBody().getBytes(), StandardCharsets.UTF_8)));
                        return super.dispatch(request);
                    }
                },
                false);
        server.init();
        client = server.createClient();
        serverUrl = client.getMasterUrl().toString();
        kubeconfig = Files.createTempFile("kubeconfig-", ".yaml");
        Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s"}
        users:
        - name: admin
          user: {token: secret}
        contexts:
        - name: mock
          context: {cluster: mock, user: admin, namespace: prod}
        - name: other
          context: {cluster: mock, user: admin, namespace: staging}
        current-context: mock
        """.formatted(serverUrl));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
        Files.deleteIfExists(kubeconfig);
    }

    /** {@code kubectl rollgate --kubeconfig <file> <args>}. */
    Result rollgate(String... args) {
        List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KubectlRollgate.execute(
                all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), CLOCK);
        return new Result(code, out.toString(), err.toString());
    }

    /** The mock server's URL, as the kubeconfig names it. */
    String serverUrl() {
        return serverUrl;
    }

    /**
     * Starts {@code kubectl rollgate <args>} (a {@code status --watch}) in the background and returns
     * once its watch request has reached the server, so that every change made next is seen.
     */
    CompletableFuture<Result> rollgateWatching(String... args) throws InterruptedException {
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> rollgate(args));
        awaitWatch();
        return run;
    }

    /** Waits until a watch request has reached the server (the plugin's watch is open). */
    private void awaitWatch() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (requests.stream().noneMatch(r -> r.path().contains("watch=true"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no watch request within 10 s: " + requests);
            }
            Thread.sleep(20);
        }
    }

    /** The last request the server received. */
    Request lastRequest() {
        return requests.get(requests.size() - 1);
    }

    /** Stops the server; a command run afterwards finds nobody listening. Closing twice is harmless. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            client.close();
            server.destroy();
        }
    }

    void create(String namespace, ApiDeploymentJson apiDeployment) {
        client.genericKubernetesResources(ApiDeployments.TYPE)
                .inNamespace(namespace)
                .resource(apiDeployment.resource())
                .create();
    }

    /** Replaces the whole object, status included (the mock knows of no status subresource). */
    void replace(String namespace, ApiDeploymentJson apiDeployment) {
        GenericKubernetesResource next = apiDeployment.resource();
        String current =
                get(namespace, next.getMetadata().getName()).getMetadata().getResourceVersion();
        next.getMetadata().setResourceVersion(current);
        client.genericKubernetesResources(ApiDeployments.TYPE)
                .inNamespace(namespace)
                .resource(next)
                .update();
    }

    GenericKubernetesResource get(String namespace, String name) {
        return resource(namespace, name).get();
    }

    Resource<GenericKubernetesResource> resource(String namespace, String name) {
        return client.genericKubernetesResources(ApiDeployments.TYPE)
                .inNamespace(namespace)
                .withName(name);
    }
}
