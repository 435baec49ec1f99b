package dev.rollgate.e2e.helm;

import dev.rollgate.testkit.SourceTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prometheus' own check of rule files, the code behind {@code promtool check rules}
 * ({@code github.com/prometheus/prometheus/model/rulefmt}): strict parsing of the file, every
 * {@code expr} through Prometheus' PromQL parser, each rule's name, durations, labels and
 * annotation templates. A small Go program over that package ({@code e2e/cluster/promrules/}),
 * built by {@code e2e/cluster/promrules.sh} on first use and cached in
 * {@code ~/.cache/rollgate/promrules/}; promtool itself takes over 20 minutes to build here.
 */
final class PromRules {
    private final Path binary;

    private PromRules(Path binary) {
        this.binary = binary;
    }

    /** Builds the checker when the cache does not have it yet; the script's progress is copied to stderr as it comes. */
    static PromRules build() {
        Path script = SourceTree.root().resolve("e2e/cluster/promrules.sh");
        try {
            // stderr is copied, not inherited: Surefire talks to its forked JVM over the standard streams
            Process p = new ProcessBuilder(script.toString()).start();
            p.getOutputStream().close();
            Thread progress = new Thread(
                    () -> new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))
                            .lines()
                            .forEach(System.err::println));
            progress.setDaemon(true);
            progress.start();
            List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .strip()
                    .lines()
                    .toList();
            int exit = p.waitFor();
            progress.join(5_000);
            if (exit != 0 || out.isEmpty()) {
                throw new IllegalStateException(script + " failed with exit code " + exit + " (its output is above)");
            }
            return new PromRules(Path.of(out.get(out.size() - 1).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The check of one rule file (YAML with {@code groups:}): exit code 0 and "SUCCESS: N rules found", or 1 and the errors. */
    Result checkRules(String ruleFile) {
        try {
            Path file = Files.createTempFile("rules-", ".yaml");
            try {
                Files.writeString(file, ruleFile);
                return run(List.of(binary.toString(), file.toString()));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its exit code, and stdout with stderr. */
    record Result(int exitCode, String output) {}

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
