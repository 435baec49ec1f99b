package dev.rollgate.testkit;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An OCI registry of the tests (e2e/cluster/registry: go-containerregistry's registry behind a
 * bearer-token challenge on {@link #address()} and a basic-auth one on {@link #basicAddress()},
 * one username and password), on 127.0.0.1. Either the local cluster's ({@link
 * LocalKubernetes#registry()}: the real node's containerd pulls from it) or one of a test's own
 * ({@link #start}), which the test may stop and start again on the same ports.
 *
 * <p>Images are pushed by Jib (jib-core), the way a build pushes them.
 */
public final class Registry implements AutoCloseable {
    private final String address;
    private final String basicAddress;
    private final String username;
    private final String password;
    private final Path dir;
    private final Path binary;
    private Process process;

    private Registry(
            String address,
            String basicAddress,
            String username,
            String password,
            Path dir,
            Path binary,
            Process process) {
        this.address = address;
        this.basicAddress = basicAddress;
        this.username = username;
        this.password = password;
        this.dir = dir;
        this.binary = binary;
        this.process = process;
    }

    /** The local cluster's registry, as up.sh printed it (not stopped by {@link #close()}). */
    static Registry ofCluster(String address, String basicAddress, String username, Path passwordFile) {
        try {
            return new Registry(
                    address,
                    basicAddress,
                    username,
                    Files.readString(passwordFile).trim(),
                    null,
                    null,
                    null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a registry of the calling test's own, keeping its blobs under {@code dir}, on free
     * ports of 127.0.0.1, with a fresh random password. {@link #close()} stops it.
     */
    public static Registry start(Path dir) {
        Path binary = ClusterScripts.locate().registryBinary();
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        Registry r = new Registry(null, null, "tester", HexFormat.of().formatHex(random), dir, binary, null);
        return r.launch("127.0.0.1:0", "127.0.0.1:0");
    }

    private Registry launch(String bearer, String basic) {
        try {
            Files.createDirectories(dir);
            Path passwordFile = dir.resolve("password");
            Files.writeString(passwordFile, password);
            Path addrFile = dir.resolve("addr");
            Files.deleteIfExists(addrFile);
            Process p = new ProcessBuilder(
                            binary.toString(),
                            "--addr",
                            bearer,
                            "--basic-addr",
                            basic,
                            "--dir",
                            dir.resolve("blobs").toString(),
                            "--user",
                            username,
                            "--password-file",
                            passwordFile.toString(),
                            "--addr-file",
                            addrFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("registry.log").toFile()))
                    .start();
            Instant deadline = Instant.now().plusSeconds(20);
            while (!Files.exists(addrFile)) {
                if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(
                            "the registry did not start: " + Files.readString(dir.resolve("registry.log")));
                }
                Thread.sleep(50);
            }
            List<String> bound = Files.readAllLines(addrFile);
            Registry started = new Registry(bound.get(0), bound.get(1), username, password, dir, binary, p);
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** host:port of the bearer-token endpoint: image references name it, {@code <address>/clinic:1.0}. */
    public String address() {
        return address;
    }

    /** host:port of the basic-auth endpoint (same content). */
    public String basicAddress() {
        return basicAddress;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /**
     * Pushes the image in {@code tarball} (docker save format, as Jib and images.sh write them) as
     * {@code <address>/<repositoryAndTag>}, labelled with that name (so two names are two images),
     * and returns the digest the registry now has for it.
     * {@code oci} chooses the OCI manifest media type over Docker's.
     */
    public String push(Path tarball, String repositoryAndTag, boolean oci) {
        // plain HTTP with credentials: only ever to this registry on 127.0.0.1
        System.setProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP, "true");
        try {
            // The label makes each pushed reference its own image (config digest): a node holding the
            // same image under two repositories may report either one's digest as a pod's imageID
            // (containerd reports the image's first repository digest), which would mix up tests.
            JibContainer pushed = Jib.from(TarImage.at(tarball))
                    .setFormat(oci ? ImageFormat.OCI : ImageFormat.Docker)
                    .addLabel("dev.rollgate.test.pushed-as", repositoryAndTag)
                    .containerize(containerizer(repositoryAndTag));
            return pushed.getDigest().toString();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "pushing " + tarball + " as " + address + "/" + repositoryAndTag + " failed: " + e, e);
        }
    }

    /**
     * Builds a one-file image from scratch whose only content is {@code content} (so that two
     * contents are two digests) and pushes it as {@code <address>/<repositoryAndTag>}: for tests
     * whose pods are simulated and only the registry's answers matter. Returns its digest.
     */
    public String pushScratch(String repositoryAndTag, String content, boolean oci) {
        System.setProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP, "true");
        try {
            Path file = Files.createTempFile("release-", ".txt");
            Files.writeString(file, content);
            JibContainer pushed = Jib.fromScratch()
                    .setFormat(oci ? ImageFormat.OCI : ImageFormat.Docker)
                    .addFileEntriesLayer(FileEntriesLayer.builder()
                            .addEntry(file, AbsoluteUnixPath.get("/release"))
                            .build())
                    .setEntrypoint("/release")
                    .containerize(containerizer(repositoryAndTag));
            Files.delete(file);
            return pushed.getDigest().toString();
        } catch (Exception e) {
            throw new IllegalStateException("pushing " + address + "/" + repositoryAndTag + " failed: " + e, e);
        }
    }

    private Containerizer containerizer(String repositoryAndTag) throws Exception {
        Path cache = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "rollgate-jib-cache"));
        return Containerizer.to(
                        RegistryImage.named(address + "/" + repositoryAndTag).addCredential(username, password))
                .setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(cache.resolve("base"))
                .setApplicationLayersCache(cache.resolve("app"))
                .setToolName("rollgate-testkit");
    }

    /** A {@code kubernetes.io/dockerconfigjson} Secret with this registry's credentials, for both endpoints. */
    public Secret pullSecret(String namespace, String name) {
        return pullSecret(namespace, name, username, password);
    }

    /** The same with other credentials (e.g. a wrong password). */
    public Secret pullSecret(String namespace, String name, String user, String pass) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        String config = "{\"auths\":{\"" + address + "\":{\"auth\":\"" + auth + "\"},\"" + basicAddress
                + "\":{\"auth\":\"" + auth + "\"}}}";
        return new SecretBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withData(Map.of(
                        ".dockerconfigjson",
                        Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** Stops a registry of the test's own (its tags are lost, its blobs kept); the cluster's is left alone. */
    public void stop() {
        if (process == null) {
            if (binary == null) {
                throw new IllegalStateException("the cluster's registry is not the test's to stop");
            }
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts a stopped registry of the test's own again, on the same ports. */
    public Registry restart() {
        if (process != null) {
            throw new IllegalStateException("the registry runs");
        }
        Registry again = launch(address, basicAddress);
        this.process = again.process;
        return this;
    }

    @Override
    public void close() {
        if (binary != null) {
            stop();
        }
    }

    @Override
    public String toString() {
        return "registry " + address + " (bearer) / " + basicAddress + " (basic)";
    }
}
