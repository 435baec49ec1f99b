package dev.rollgate.operator.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.operator.image.RegistryCredentials.Credential;
import dev.rollgate.operator.image.Resolution.Resolved;
import dev.rollgate.operator.image.Resolution.Unresolved;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One resolution of a manifest URL with one credential (or none): HEAD, the 401 challenge it may
 * meet (basic, or a bearer token from the challenge's realm), then GET when HEAD gave no usable
 * digest. A fresh instance per attempt: the authorization it earns belongs to that credential.
 * {@link RegistryClient} chooses the URL and the credentials to try.
 */
final class RegistryAttempt {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    private final HttpClient http;
    private final Duration timeout;
    private final URI manifest;
    private final Credential credential;
    private String authorization;

    RegistryAttempt(HttpClient http, Duration timeout, URI manifest, Credential credential) {
        this.http = http;
        this.timeout = timeout;
        this.manifest = manifest;
        this.credential = credential;
    }

    Resolution run() {
        try {
            HttpResponse<byte[]> head = send("HEAD");
            if (head.statusCode() == 401) {
                Unresolved refused = answerChallenge(head);
                if (refused != null) {
                    return refused;
                }
                head = send("HEAD");
            }
            if (head.statusCode() == 200) {
                String digest =
                        head.headers().firstValue("Docker-Content-Digest").orElse(null);
                if (ImageReference.isDigest(digest) && isManifestType(head)) {
                    return new Resolved(digest);
                }
            }
            // no usable answer to HEAD: GET says why (error bodies) or gives the bytes to hash
            HttpResponse<byte[]> get = send("GET");
            if (get.statusCode() == 200) {
                if (!isManifestType(get)) {
                    return new Unresolved(
                            Resolution.UNSUPPORTED_MANIFEST,
                            manifest + " answered with "
                                    + get.headers().firstValue("Content-Type").orElse("no Content-Type")
                                    + ", not an OCI or Docker v2 image manifest or index");
                }
                return new Resolved("sha256:" + sha256(get.body()));
            }
            return refusal(get);
        } catch (HttpTimeoutException e) {
            return new Unresolved(
                    Resolution.REGISTRY_UNAVAILABLE,
                    "no answer from " + manifest.getHost() + portOf(manifest) + " within " + timeout.toSeconds() + "s");
        } catch (ConnectException e) {
            return new Unresolved(
                    Resolution.REGISTRY_UNAVAILABLE,
                    "cannot connect to " + manifest.getScheme() + "://" + manifest.getHost() + portOf(manifest) + " ("
                            + describe(e) + ")");
        } catch (IOException e) {
            return new Unresolved(
                    Resolution.REGISTRY_UNAVAILABLE, "request to " + manifest + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unresolved(Resolution.REGISTRY_UNAVAILABLE, "interrupted while asking " + manifest);
        }
    }

    /** Sets {@link #authorization} from a 401's challenge; or says why it cannot be answered. */
    private Unresolved answerChallenge(HttpResponse<byte[]> challenged) throws IOException, InterruptedException {
        String header = challenged.headers().firstValue("WWW-Authenticate").orElse("");
        String scheme = header.split(" ", 2)[0].toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(header);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        if (scheme.equals("basic")) {
            if (credential == null) {
                return noCredentials();
            }
            authorization = basic();
            return null;
        }
        if (!scheme.equals("bearer") || !params.containsKey("realm")) {
            return new Unresolved(
                    Resolution.REGISTRY_UNAUTHORIZED,
                    manifest.getHost() + portOf(manifest)
                            + " asks for authentication Rollgate does not speak: WWW-Authenticate: " + header);
        }
        StringBuilder url = new StringBuilder(params.get("realm"));
        char sep = url.indexOf("?") < 0 ? '?' : '&';
        for (String key : List.of("service", "scope")) {
            if (params.containsKey(key)) {
                url.append(sep)
                        .append(key)
                        .append('=')
                        .append(URLEncoder.encode(params.get(key), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(timeout)
                .GET();
        if (credential != null) {
            req.header("Authorization", basic());
        }
        HttpResponse<byte[]> token = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (token.statusCode() == 401 && credential == null) {
            return noCredentials();
        }
        if (token.statusCode() != 200) {
            Unresolved why = refusal(token);
            String who = credential == null
                    ? "without credentials (spec.imagePullSecrets has none for " + manifest.getHost() + portOf(manifest)
                            + ")"
                    : "as " + credential.username();
            return new Unresolved(
                    why.reason(),
                    "the token service " + params.get("realm") + " refused a token " + who + ": " + why.message());
        }
        JsonNode body = JSON.readTree(token.body());
        String value = body.hasNonNull("token")
                ? body.get("token").asText()
                : body.hasNonNull("access_token") ? body.get("access_token").asText() : null;
        if (value == null || value.isEmpty()) {
            return new Unresolved(
                    Resolution.REGISTRY_UNAUTHORIZED,
                    "the token service " + params.get("realm") + " answered without a token");
        }
        authorization = "Bearer " + value;
        return null;
    }

    private Unresolved noCredentials() {
        return new Unresolved(
                Resolution.REGISTRY_UNAUTHORIZED,
                manifest.getHost() + portOf(manifest)
                        + " requires credentials, and the Secrets of spec.imagePullSecrets give none for it");
    }

    private HttpResponse<byte[]> send(String method) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(manifest)
                .timeout(timeout)
                .header("Accept", String.join(", ", RegistryClient.MANIFEST_TYPES))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String basic() {
        return "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString(
                                (credential.username() + ":" + credential.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** A non-200 answer as a reason, with the registry's message when its body has one. */
    private Unresolved refusal(HttpResponse<byte[]> r) {
        String said = registryMessage(r.body());
        String where = r.request().method() + " " + r.uri() + " answered HTTP " + r.statusCode()
                + (said.isEmpty() ? "" : ": " + said);
        return switch (r.statusCode()) {
            case 401 ->
                credential == null && authorization == null
                        ? noCredentials()
                        : new Unresolved(
                                Resolution.REGISTRY_UNAUTHORIZED,
                                where
                                        + (credential == null
                                                ? ""
                                                : " (credentials of user " + credential.username()
                                                        + " from spec.imagePullSecrets)"));
            case 403 -> new Unresolved(Resolution.REGISTRY_UNAUTHORIZED, where);
            case 404 -> new Unresolved(Resolution.IMAGE_NOT_FOUND, where);
            default -> new Unresolved(Resolution.REGISTRY_UNAVAILABLE, where);
        };
    }

    private static boolean isManifestType(HttpResponse<?> r) {
        String type =
                r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        return RegistryClient.MANIFEST_TYPES.contains(type);
    }

    /** The messages of a distribution-API error body ({"errors":[{"code","message"}]}), else its first line. */
    static String registryMessage(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (JsonNode e : errors) {
                    String code = e.path("code").asText("");
                    String message = e.path("message").asText("");
                    parts.add(code.isEmpty() ? message : message.isEmpty() ? code : code + " " + message);
                }
                return String.join("; ", parts);
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the text itself
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        text = nl < 0 ? text : text.substring(0, nl);
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static String portOf(URI uri) {
        return uri.getPort() < 0 ? "" : ":" + uri.getPort();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
