package dev.rollgate.operator.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials from a pull secret's docker config: {@code .dockerconfigjson}
 * ({@code {"auths": {"<host>": {...}}}}) or the older {@code .dockercfg} (the map itself), each
 * entry with {@code auth} (base64 of {@code user:password}) or {@code username}/{@code password}.
 * Keys are matched as the kubelet does for a host: {@code https://host/v1/}, {@code host} and
 * {@code host:port} are the same registry; Docker Hub's names are one.
 */
public final class RegistryCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One username and password for one registry host. */
    public record Credential(String host, String username, String password) {
        @Override
        public String toString() {
            return "Credential[" + host + ", " + username + "]"; // never the password
        }
    }

    private RegistryCredentials() {}

    /**
     * The credentials a docker config holds, in its order.
     *
     * @throws IllegalArgumentException with what is wrong, when it is not a docker config
     */
    public static List<Credential> parse(byte[] config) {
        JsonNode root;
        try {
            root = JSON.readTree(config);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode auths = root.has("auths") ? root.get("auths") : root;
        if (!auths.isObject()) {
            throw new IllegalArgumentException("\"auths\" is not an object");
        }
        List<Credential> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            var e = it.next();
            credential(normalizeHost(e.getKey()), e.getValue()).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Credential> credential(String host, JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            return Optional.empty();
        }
        String user = text(entry, "username");
        String password = text(entry, "password");
        String auth = text(entry, "auth");
        if ((user == null || password == null) && auth != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the \"auth\" of " + host + " is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("the \"auth\" of " + host + " is not base64 of user:password");
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        return user == null || password == null ? Optional.empty() : Optional.of(new Credential(host, user, password));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }

    /**
     * The registry host a config key names: scheme and path dropped, Docker Hub's aliases folded
     * into {@code docker.io} (the registry {@link ImageReference#registry()} gives its images).
     */
    public static String normalizeHost(String key) {
        String h = key.trim();
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        h = h.toLowerCase(java.util.Locale.ROOT);
        return switch (h) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> h;
        };
    }
}
