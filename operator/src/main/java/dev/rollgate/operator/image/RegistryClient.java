package dev.rollgate.operator.image;

import dev.rollgate.operator.image.RegistryCredentials.Credential;
import dev.rollgate.operator.image.Resolution.Resolved;
import dev.rollgate.operator.image.Resolution.Unresolved;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Asks a registry which digest a tag names now, through the distribution API
 * ({@code HEAD|GET /v2/<name>/manifests/<tag>}), as a container runtime would before a pull:
 * OCI and Docker manifests and indexes; a 401 answered by the challenge it carries — a bearer
 * token fetched from the challenge's realm (with the credentials, when there are any) or basic
 * auth. Plain HTTP only for loopback registries and the hosts given as insecure; HTTPS with the
 * JVM's trust store otherwise.
 *
 * <p>Every outcome is a {@link Resolution}: a digest, or a reason and a message carrying the
 * registry's own words. Nothing is thrown, nothing is cached.
 */
public final class RegistryClient {
    /** What the Accept header offers: what a runtime can pull by digest. */
    static final List<String> MANIFEST_TYPES = List.of(
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private static final Pattern LOOPBACK = Pattern.compile("^(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d+)?$");
    private static final String DOCKER_HUB_API = "registry-1.docker.io";

    private final HttpClient http;
    private final Set<String> insecureHosts;
    private final Duration timeout;

    /**
     * @param insecureHosts registry hosts (with port, as in image references) reached over plain
     *     HTTP besides the loopback ones
     * @param timeout of each request
     */
    public RegistryClient(Set<String> insecureHosts, Duration timeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.insecureHosts = Set.copyOf(insecureHosts);
        this.timeout = timeout;
    }

    /**
     * The digest {@code image}'s tag ({@code latest} when it has none) names now; a reference
     * pinned by digest is its own answer. {@code credentials} are tried in order for the image's
     * registry host (the others are ignored); none means anonymous.
     */
    public Resolution resolve(String image, List<Credential> credentials) {
        Optional<ImageReference> parsed = ImageReference.tryParse(image);
        if (parsed.isEmpty()) {
            return new Unresolved(Resolution.IMAGE_NOT_FOUND, "not an image reference: " + image);
        }
        ImageReference ref = parsed.get();
        if (ref.isDigestPinned()) {
            return new Resolved(ref.digest().orElseThrow());
        }
        List<Credential> forHost = credentials.stream()
                .filter(c -> c.host().equals(ref.registry()))
                .toList();
        String name = ref.canonicalRepository().substring(ref.registry().length() + 1);
        String tag = ref.tag().orElse(ImageReference.DEFAULT_TAG);
        URI manifest = URI.create(base(ref.registry()) + "/v2/" + name + "/manifests/" + tag);
        if (forHost.isEmpty()) {
            return new RegistryAttempt(http, timeout, manifest, null).run();
        }
        Resolution last = null;
        for (Credential c : forHost) {
            last = new RegistryAttempt(http, timeout, manifest, c).run();
            if (!(last instanceof Unresolved u) || !u.reason().equals(Resolution.REGISTRY_UNAUTHORIZED)) {
                return last;
            }
        }
        return last;
    }

    private String base(String registry) {
        String host = registry.equals("docker.io") ? DOCKER_HUB_API : registry;
        boolean plain = LOOPBACK.matcher(host).matches() || insecureHosts.contains(registry);
        return (plain ? "http://" : "https://") + host;
    }
}
