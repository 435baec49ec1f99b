package dev.rollgate.e2e.realnode;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of clinic's api tier that keeps creating patients — each create with its own
 * {@code Idempotency-Key} — through the API server's service proxy
 * ({@code /api/v1/namespaces/<ns>/services/clinic-api:http/proxy/...}), the way traffic reaches a
 * Service from outside the node: the API server picks a ready endpoint of the Service for each
 * request, so a request can only succeed if some api pod is ready <em>and</em> really serving.
 *
 * <p>A create that fails (a transport error, any non-2xx) is an attempt failure; the client then
 * retries it with the same key, as an idempotent client may. A request fails only when all its
 * attempts do. {@link #stop()} reports both counts: a rollout without downtime has none of either.
 */
final class ClinicTraffic implements AutoCloseable {
    private static final int ATTEMPTS = 10;
    private static final Duration PAUSE = Duration.ofMillis(50);

    private final HttpClient http;
    private final String patientsUrl;
    private final String run;
    private final Thread thread;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicInteger failedRequests = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    private ClinicTraffic(KubernetesClient client, String namespace, String service) {
        this.http = PodProxy.withoutRetries(client).getHttpClient(); // every failed attempt counts
        String master = client.getMasterUrl().toString().replaceAll("/$", "");
        this.patientsUrl =
                master + "/api/v1/namespaces/" + namespace + "/services/" + service + ":http/proxy/api/patients";
        this.run = Long.toString(System.currentTimeMillis(), 36);
        this.thread = new Thread(this::loop, "clinic-traffic-" + run);
    }

    /** Starts sending creates to Service {@code service} (the api tier, e.g. clinic-api) of {@code namespace}. */
    static ClinicTraffic start(KubernetesClient client, String namespace, String service) {
        ClinicTraffic traffic = new ClinicTraffic(client, namespace, service);
        traffic.thread.setDaemon(true);
        traffic.thread.start();
        return traffic;
    }

    /** The e-mail prefix of every patient this client created: {@code traffic-<run>-}. */
    String emailPrefix() {
        return "traffic-" + run + "-";
    }

    /** Requests so far that succeeded. */
    int succeeded() {
        return succeeded.get();
    }

    /** Stops after the request in flight (with its retries) and reports. */
    Report stop() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Report(
                requests.get(), succeeded.get(), failedAttempts.get(), failedRequests.get(), List.copyOf(failures));
    }

    @Override
    public void close() {
        running = false;
    }

    private void loop() {
        for (int n = 1; running; n++) {
            requests.incrementAndGet();
            if (create(n)) {
                succeeded.incrementAndGet();
            } else {
                failedRequests.incrementAndGet();
            }
            sleep(PAUSE);
        }
    }

    /** One create, retried with its key until it succeeds or the attempts run out. */
    private boolean create(int n) {
        String key = "traffic-" + run + "-" + n;
        String body =
                "{\"name\":\"Traffic " + n + "\",\"email\":\"" + key + "@example.test\",\"birthDate\":\"1980-01-01\"}";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String failure;
            try {
                HttpRequest request = http.newHttpRequestBuilder()
                        .uri(patientsUrl)
                        .header("Idempotency-Key", key)
                        .post("application/json", body)
                        .build();
                HttpResponse<String> response =
                        http.sendAsync(request, String.class).get(15, TimeUnit.SECONDS);
                if (response.isSuccessful()) {
                    return true;
                }
                failure = "HTTP " + response.code() + " " + abbreviate(response.body());
            } catch (Exception e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            failedAttempts.incrementAndGet();
            if (failures.size() < 20) {
                failures.add(java.time.LocalTime.now() + " " + key + " attempt " + attempt + ": " + failure);
            }
            sleep(Duration.ofMillis(200L * attempt));
        }
        return false;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the client saw: requests made, succeeded, attempts that failed, requests that failed for good. */
    record Report(int requests, int succeeded, int failedAttempts, int failedRequests, List<String> failures) {
        @Override
        public String toString() {
            return requests + " creates, " + succeeded + " succeeded, " + failedAttempts + " failed attempts, "
                    + failedRequests + " failed requests" + (failures.isEmpty() ? "" : "; first failures: " + failures);
        }
    }
}
