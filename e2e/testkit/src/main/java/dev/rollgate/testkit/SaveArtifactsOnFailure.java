package dev.rollgate.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Keeps the evidence of a failed cluster test: when a test method fails, each {@link Subject} it
 * used (an operator with its namespaces) saves its artifacts to
 * {@code target/test-artifacts/<class>.<method>/} right after the method, and only then is torn
 * down. Tearing down first would lose them: a deleted namespace takes its ApiDeployment and
 * Events with it.
 *
 * <p>A subject joins either when an extension resolves it for the method
 * ({@link #tearDownAfterTest(ExtensionContext, Subject)}), or, when a test makes and closes it
 * itself, when it is closed inside the method ({@link #deferTearDown(Subject)}).
 */
public final class SaveArtifactsOnFailure implements BeforeTestExecutionCallback, AfterTestExecutionCallback {
    private static final Namespace STORE = Namespace.create(SaveArtifactsOnFailure.class);
    private static final Path ARTIFACTS = Path.of("target", "test-artifacts");
    /** The method running on this thread, between its before- and after-execution callbacks. */
    private static final ThreadLocal<ExtensionContext> RUNNING = new ThreadLocal<>();

    /** What a test sets up on the cluster: it can save what a person needs, and be torn down. */
    public interface Subject {
        void saveArtifacts(Path dir) throws IOException;

        void tearDown();
    }

    /** Where the artifacts of this test method go. */
    public static Path directoryOf(ExtensionContext context) {
        return ARTIFACTS.resolve(context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName());
    }

    /** Tears {@code subject} down when the method is done, after saving its artifacts if it failed. */
    public static void tearDownAfterTest(ExtensionContext context, Subject subject) {
        subjects(context).add(subject);
        // JUnit closes the AutoCloseable values of the method's store after the after-execution callbacks
        context.getStore(STORE).put(new Object(), (AutoCloseable) subject::tearDown);
    }

    /**
     * For a subject closed inside the test method: postpones its tear-down until the method has been
     * judged, and returns true; false outside a test method of this extension (tear down now).
     */
    public static boolean deferTearDown(Subject subject) {
        ExtensionContext running = RUNNING.get();
        if (running == null) {
            return false;
        }
        tearDownAfterTest(running, subject);
        return true;
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        RUNNING.set(context);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        RUNNING.remove();
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        Path dir = directoryOf(context);
        for (Subject subject : subjects(context)) {
            try {
                subject.saveArtifacts(dir);
                System.err.println("[rollgate-testkit] artifacts of the failed test: " + dir.toAbsolutePath());
            } catch (IOException | RuntimeException e) {
                context.getExecutionException().get().addSuppressed(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Subject> subjects(ExtensionContext context) {
        return context.getStore(STORE).getOrComputeIfAbsent(List.class, k -> new ArrayList<Subject>(), List.class);
    }
}
