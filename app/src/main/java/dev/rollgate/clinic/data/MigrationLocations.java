package dev.rollgate.clinic.data;

import dev.rollgate.clinic.config.ClinicConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.jboss.logging.Logger;

/**
 * Applies {@code clinic.flyway.locations} ({@code CLINIC_FLYWAY_LOCATIONS}) to the Flyway instance at run time.
 *
 * <p>Quarkus fixes {@code quarkus.flyway.locations} at build time and hands Flyway a resource provider holding
 * the classpath migrations the build indexed. This customizer keeps those of them under the run-time
 * {@code classpath:} locations and adds every file under the run-time {@code filesystem:} directories, so that
 * a release image can carry migrations outside the jar, e.g.
 * {@code CLINIC_FLYWAY_LOCATIONS=classpath:db/migration,filesystem:/app/migrations}.
 */
@Singleton
@Unremovable
public class MigrationLocations implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(MigrationLocations.class);
    private static final String CLASSPATH = "classpath:";
    private static final String FILESYSTEM = "filesystem:";

    private final List<String> locations;

    public MigrationLocations(ClinicConfig config) {
        this.locations = config.flyway().locations();
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        List<String> classpath = new ArrayList<>();
        List<Path> directories = new ArrayList<>();
        for (String raw : locations) {
            String location = raw.trim();
            if (location.isEmpty()) {
                continue;
            }
            if (location.startsWith(FILESYSTEM)) {
                directories.add(Path.of(location.substring(FILESYSTEM.length())));
            } else if (location.startsWith(CLASSPATH) || !location.contains(":")) {
                String path = stripSlashes(
                        location.startsWith(CLASSPATH) ? location.substring(CLASSPATH.length()) : location);
                if (!builtIn(configuration, path)) {
                    throw new IllegalStateException(
                            "clinic.flyway.locations: " + location
                                    + " is not among the build-time quarkus.flyway.locations; only those classpath migrations are packaged");
                }
                classpath.add(path);
            } else {
                throw new IllegalStateException("clinic.flyway.locations: unsupported location " + location
                        + " (use classpath: or filesystem:)");
            }
        }
        List<LoadableResource> files = new ArrayList<>();
        for (Path directory : directories) {
            files.addAll(scan(directory));
        }
        LOG.infof(
                "Migration locations: classpath %s, filesystem %s (%d file(s))", classpath, directories, files.size());
        configuration.resourceProvider(new Resources(configuration.getResourceProvider(), classpath, files));
    }

    private static boolean builtIn(FluentConfiguration configuration, String path) {
        for (Location location : configuration.getLocations()) {
            if (location.isClassPath() && stripSlashes(location.getPath()).equals(path)) {
                return true;
            }
        }
        return false;
    }

    private static String stripSlashes(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** Every regular, non-hidden file under {@code directory}, recursively; none when it does not exist. */
    static List<LoadableResource> scan(Path directory) {
        if (!Files.isDirectory(directory)) {
            LOG.debugf("Migration directory %s does not exist; it holds no migrations", directory);
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .<LoadableResource>map(file -> new FileResource(
                            file, directory.relativize(file).toString().replace('\\', '/')))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("reading migration directory " + directory, e);
        }
    }

    /** The build's classpath resources under the run-time classpath locations, plus the files found on disk. */
    static final class Resources implements ResourceProvider {
        private final ResourceProvider packaged;
        private final List<String> classpath;
        private final List<LoadableResource> files;

        Resources(ResourceProvider packaged, List<String> classpath, List<LoadableResource> files) {
            this.packaged = packaged;
            this.classpath = List.copyOf(classpath);
            this.files = List.copyOf(files);
        }

        @Override
        public LoadableResource getResource(String name) {
            if (packaged != null) {
                LoadableResource resource = packaged.getResource(name);
                if (resource != null && allowed(resource)) {
                    return resource;
                }
            }
            for (LoadableResource file : files) {
                if (file.getRelativePath().equals(name)
                        || file.getAbsolutePath().equals(name)) {
                    return file;
                }
            }
            return null;
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String... suffixes) {
            List<LoadableResource> found = new ArrayList<>();
            if (packaged != null) {
                for (LoadableResource resource : packaged.getResources(prefix, suffixes)) {
                    if (allowed(resource)) {
                        found.add(resource);
                    }
                }
            }
            for (LoadableResource file : files) {
                String name = file.getFilename();
                if (name.startsWith(prefix) && Stream.of(suffixes).anyMatch(name::endsWith)) {
                    found.add(file);
                }
            }
            return found;
        }

        private boolean allowed(LoadableResource resource) {
            String path = stripSlashes(resource.getAbsolutePath());
            return classpath.stream().anyMatch(location -> path.startsWith(location + "/"));
        }
    }

    /** A migration file on disk, read as UTF-8. */
    static final class FileResource extends LoadableResource {
        private final Path file;
        private final String relativePath;

        FileResource(Path file, String relativePath) {
            this.file = file;
            this.relativePath = relativePath;
        }

        @Override
        public Reader read() {
            try {
                return Files.newBufferedReader(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("reading migration " + file, e);
            }
        }

        @Override
        public String getAbsolutePath() {
            return file.toString();
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return file.toAbsolutePath().toString();
        }

        @Override
        public String getFilename() {
            return file.getFileName().toString();
        }

        @Override
        public String getRelativePath() {
            return relativePath;
        }
    }
}
