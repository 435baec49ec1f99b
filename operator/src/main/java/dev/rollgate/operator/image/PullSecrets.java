package dev.rollgate.operator.image;

import dev.rollgate.operator.image.RegistryCredentials.Credential;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The registry credentials of an image pull secret, read the way the kubelet reads them. */
public final class PullSecrets {
    static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";
    static final String DOCKER_CFG = ".dockercfg";

    private PullSecrets() {}

    /**
     * The credentials of a {@code kubernetes.io/dockerconfigjson} or {@code kubernetes.io/dockercfg}
     * Secret (by its key, whatever its type says).
     *
     * @throws IllegalArgumentException saying what is wrong, when it holds neither key or not a docker config
     */
    public static List<Credential> credentials(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, String> plain = secret.getStringData() == null ? Map.of() : secret.getStringData();
        for (String key : List.of(DOCKER_CONFIG_JSON, DOCKER_CFG)) {
            if (data.containsKey(key)) {
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(data.get(key));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("data." + key + " is not base64");
                }
                return RegistryCredentials.parse(bytes);
            }
            if (plain.containsKey(key)) {
                return RegistryCredentials.parse(plain.get(key).getBytes(StandardCharsets.UTF_8));
            }
        }
        throw new IllegalArgumentException("it has no " + DOCKER_CONFIG_JSON + " (or " + DOCKER_CFG + ") key");
    }
}
