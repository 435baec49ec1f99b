package dev.rollgate.operator.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.operator.image.RegistryCredentials.Credential;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryCredentialsTest {

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAuthAndUsernamePasswordEntries() {
        String config = "{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"" + b64("ci:s3cr:et") + "\"},"
                + "\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"pw\"},"
                + "\"empty.example.com\":{}}}";

        assertThat(RegistryCredentials.parse(config.getBytes(StandardCharsets.UTF_8)))
                .containsExactly(
                        new Credential("registry.example.com:5000", "ci", "s3cr:et"),
                        new Credential("docker.io", "hub", "pw"));
    }

    @Test
    void readsTheOlderDockercfgMapFromASecret() {
        String cfg = "{\"ghcr.io\":{\"auth\":\"" + b64("me:token") + "\"}}";
        var secret = new SecretBuilder()
                .withType("kubernetes.io/dockercfg")
                .withData(Map.of(".dockercfg", b64(cfg)))
                .build();

        assertThat(PullSecrets.credentials(secret)).containsExactly(new Credential("ghcr.io", "me", "token"));
    }

    @ParameterizedTest
    @CsvSource({
        "https://index.docker.io/v1/, docker.io",
        "registry-1.docker.io, docker.io",
        "http://127.0.0.1:5000/v2/, 127.0.0.1:5000",
        "Registry.Example.com, registry.example.com",
    })
    void keysNameHostsTheWayImageReferencesDo(String key, String host) {
        assertThat(RegistryCredentials.normalizeHost(key)).isEqualTo(host);
    }

    @Test
    void whatIsNotADockerConfigSaysWhy() {
        assertThatThrownBy(() -> RegistryCredentials.parse("nope".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> RegistryCredentials.parse(
                        "{\"auths\":{\"h\":{\"auth\":\"%%%\"}}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the \"auth\" of h is not base64");
        assertThatThrownBy(() -> PullSecrets.credentials(
                        new SecretBuilder().withData(Map.of("token", "eA==")).build()))
                .hasMessage("it has no .dockerconfigjson (or .dockercfg) key");
    }

    @Test
    void aCredentialNeverPrintsItsPassword() {
        assertThat(new Credential("h", "u", "hunter2").toString()).doesNotContain("hunter2");
    }
}
