package dev.rollgate.e2e.realnode;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * clinic's health endpoints on one pod, through the API server's pod proxy
 * ({@code /api/v1/namespaces/<ns>/pods/<pod>:8080/proxy/...}): the API server connects to the pod's
 * IP inside the real node's network namespace, as the kubelet's probe does from the node.
 */
final class PodProxy {
    private static final Map<KubernetesClient, KubernetesClient> WITHOUT_RETRIES = new ConcurrentHashMap<>();

    private PodProxy() {}

    /**
     * A client of the same cluster that never retries. fabric8 retries a request that failed with a
     * 5xx answer or an I/O error, up to 10 times with back-off, by default: through a proxy that
     * would hide the very answers these tests count (a 503 from clinic, a failed create).
     */
    static KubernetesClient withoutRetries(KubernetesClient client) {
        return WITHOUT_RETRIES.computeIfAbsent(
                client,
                c -> new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder(c.getConfiguration())
                                .withRequestRetryBackoffLimit(0)
                                .build())
                        .build());
    }

    /**
     * The HTTP status clinic answered on {@code path} (e.g. {@code /q/health/ready}), or empty when
     * clinic did not answer: the proxy's own errors (connection refused while the JVM starts) come
     * back as a {@code Status} object, not as SmallRye Health's {@code {"status": ..., "checks": ...}}.
     */
    static Optional<Integer> health(KubernetesClient client, String namespace, String pod, String path) {
        HttpClient http = withoutRetries(client).getHttpClient();
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + namespace
                + "/pods/" + pod + ":8080/proxy" + path;
        try {
            HttpResponse<String> response = http.sendAsync(
                            http.newHttpRequestBuilder().uri(url).build(), String.class)
                    .get(10, TimeUnit.SECONDS);
            String body = response.body() == null ? "" : response.body();
            return body.contains("\"checks\"") ? Optional.of(response.code()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
