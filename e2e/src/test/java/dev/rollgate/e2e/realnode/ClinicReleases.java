package dev.rollgate.e2e.realnode;

import dev.rollgate.testkit.RealNode;
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
    return new Tarballs(images.get(find(images, "")), images.get(find(images, "-good2")),
        images.get(find(images, "-badmigration")), images.get(find(images, "-crash")));
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
      throw new IllegalStateException("no clinic image at " + tar + ": the app module builds it in its package phase "
          + "(./mvnw -B verify does; alone: ./mvnw -B -pl app package -DskipTests)");
    }
    return tar;
  }

  private static Map<String, Path> build() {
    Path out = repository().resolve("e2e/target/clinic-images");
    List<String> lines = run(List.of(repository().resolve("e2e/cluster/images.sh").toString(),
        "clinic-variants", clinicTarball().toString(), out.toString()));
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
        .orElseThrow(() -> new IllegalStateException("images.sh built no clinic release ending in '" + suffix
            + "': " + images.keySet()));
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
    throw new IllegalStateException("cannot find the repository above " + Path.of("").toAbsolutePath());
  }

  private static List<String> run(List<String> command) {
    try {
      Path log = Files.createTempFile("images-", ".log");
      Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
      p.getOutputStream().close();
      List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
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
}
