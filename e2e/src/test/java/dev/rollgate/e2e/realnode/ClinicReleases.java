package dev.rollgate.e2e.realnode;

import dev.rollgate.testkit.RealNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The clinic releases of the real-pods scenarios, each built from this repository and imported
 * into the real node's containerd (there is no registry):
 *
 * <ul>
 *   <li>{@link #good()}: the clinic image of this build ({@code app/target/jib-image.tar});
 *   <li>{@link #good2()}: the same app as a second release with other bits (another digest);
 *   <li>{@link #badMigration()}: a release carrying a Flyway migration that fails against the live
 *       schema: its pods start, but the data layer never becomes ready ({@code /q/health/ready} 503);
 *   <li>{@link #crash()}: a release that exits at start on a setting it cannot resolve.
 * </ul>
 *
 * <p>Built by {@code e2e/cluster/images.sh clinic-variants} once per JVM.
 */
public record ClinicReleases(String good, String good2, String badMigration, String crash) {
    private static ClinicReleases imported;

    private static Map<String, Path> built;

    /** The releases' image tarballs (docker save format), e.g. to push them to a registry. */
    public record Tarballs(Path good, Path good2, Path badMigration, Path crash) {}

    public static Tarballs tarballs() {
        Map<String, Path> images = built();
        return new Tarballs(
                images.get(find(images, "")),
                images.get(find(images, "-good2")),
                images.get(find(images, "-badmigration")),
                images.get(find(images, "-crash")));
    }

    private static synchronized Map<String, Path> built() {
        if (built == null) {
            built = build();
        }
        return built;
    }

    public static synchronized ClinicReleases importedInto(RealNode node) {
        if (imported == null) {
            Map<String, Path> images = built();
            images.values().forEach(node::importImage);
            imported = new ClinicReleases(
                    find(images, ""), find(images, "-good2"), find(images, "-badmigration"), find(images, "-crash"));
        }
        return imported;
    }

    /** The clinic image tarball of this build. */
    static Path clinicTarball() {
        Path tar = repository().resolve("app/target/jib-image.tar");
        if (!Files.isRegularFile(tar)) {
            throw new IllegalStateException(
                    "no clinic image at " + tar + ": the app module builds it in its package phase "
                            + "(./mvnw -B verify does; alone: ./mvnw -B -pl app package -DskipTests)");
        }
        return tar;
    }

    private static Map<String, Path> build() {
        Path out = repository().resolve("e2e/target/clinic-images");
        List<String> lines = run(List.of(
                repository().resolve("e2e/cluster/images.sh").toString(),
                "clinic-variants",
                clinicTarball().toString(),
                out.toString()));
        Map<String, Path> images = new LinkedHashMap<>();
        for (String line : lines) {
            String[] refAndTar = line.trim().split("\\s+");
            if (refAndTar.length == 2) {
                images.put(refAndTar[0], Path.of(refAndTar[1]));
            }
        }
        return images;
    }

    private static String find(Map<String, Path> images, String suffix) {
        return images.keySet().stream()
                .filter(ref -> suffix.isEmpty() ? !ref.matches(".*-(good2|badmigration|crash)$") : ref.endsWith(suffix))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "images.sh built no clinic release ending in '" + suffix + "': " + images.keySet()));
    }

    static Path repository() {
        String scripts = System.getProperty("rollgate.clusterScripts"); // <repository>/e2e/cluster, set by e2e/demo.sh
        if (scripts != null) {
            return Path.of(scripts).toAbsolutePath().getParent().getParent();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("e2e/cluster")) && Files.isDirectory(p.resolve("app"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "cannot find the repository above " + Path.of("").toAbsolutePath());
    }

    private static List<String> run(List<String> command) {
        try {
            Path log = Files.createTempFile("images-", ".log");
            Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
            p.getOutputStream().close();
            List<String> out =
                    new String(p.getInputStream().readAllBytes()).lines().toList();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
            }
            Files.delete(log);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The name of the ConfigMap {@link #provideV3Migration} creates. */
    public static final String V3_CONFIG_MAP = "clinic-v3";

    /**
     * A ConfigMap holding V3__patient_phone.sql (adds patients.phone): a migration that applies
     * cleanly on top of V2, for a release whose migration Job reads it (see {@link #gatedValues}).
     */
    public static void provideV3Migration(KubernetesClient client, String namespace) {
        client.configMaps()
                .inNamespace(namespace)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(V3_CONFIG_MAP)
                        .endMetadata()
                        .addToData("V3__patient_phone.sql", "ALTER TABLE patients ADD COLUMN phone text;\n")
                        .build())
                .serverSideApply();
    }

    /**
     * clinic's values with the migration gate and backups on (the chart then turns migrate-at-start
     * off). {@code v3}: the migration Job also reads V3 from {@link #V3_CONFIG_MAP} (mounted by
     * subPath: a whole ConfigMap volume also holds its ..data links, which Flyway would scan as a
     * second copy) and gets the setting {@link #crash()} needs to start, so that release passes its
     * migration and then crash-loops.
     */
    public static Map<String, Object> gatedValues(String compatibility, boolean v3, Map<String, Object> rollout) {
        Map<String, Object> migration =
                new LinkedHashMap<>(Map.of("enabled", true, "compatibility", compatibility, "timeoutSeconds", 180));
        Map<String, Object> values = new LinkedHashMap<>();
        if (v3) {
            migration.put(
                    "env",
                    List.of(
                            Map.of(
                                    "name",
                                    "CLINIC_FLYWAY_LOCATIONS",
                                    "value",
                                    "classpath:db/migration,filesystem:/extra-migrations"),
                            Map.of("name", "CLINIC_LISTEN_PORT", "value", "8080")));
            values.put(
                    "api",
                    Map.of(
                            "pod",
                            Map.of(
                                    "volumes",
                                            List.of(Map.of("name", "v3", "configMap", Map.of("name", V3_CONFIG_MAP))),
                                    "volumeMounts",
                                            List.of(Map.of(
                                                    "name",
                                                    "v3",
                                                    "mountPath",
                                                    "/extra-migrations/V3__patient_phone.sql",
                                                    "subPath",
                                                    "V3__patient_phone.sql",
                                                    "readOnly",
                                                    true)))));
        }
        values.put("migration", migration);
        values.put("backup", Map.of("enabled", true, "timeoutSeconds", 120));
        values.put("rollout", rollout);
        return values;
    }
}
