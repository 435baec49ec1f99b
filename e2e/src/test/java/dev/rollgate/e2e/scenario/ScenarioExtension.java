package dev.rollgate.e2e.scenario;

import dev.rollgate.testkit.LocalKubernetes;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method its own {@link RollgateStack} and tears it down afterwards. When the test
 * method fails, the stack's artifacts are saved first — right after the method, while the operator
 * and the namespaces still exist.
 */
final class ScenarioExtension implements ParameterResolver, AfterTestExecutionCallback {
  private static final Namespace STORE = Namespace.create(ScenarioExtension.class);
  static final Path ARTIFACTS = Path.of("target", "e2e-artifacts");

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RollgateStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    String test = context.getRequiredTestClass().getSimpleName().replace("IT", "")
        + context.getTestMethod().map(m -> "-" + m.getName()).orElse("");
    RollgateStack stack = RollgateStack.inFreshNamespaces(LocalKubernetes.get(), test);
    context.getStore(STORE).put(RollgateStack.class, stack); // closed by JUnit when the method is done
    return stack;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    RollgateStack stack = context.getStore(STORE).get(RollgateStack.class, RollgateStack.class);
    if (stack == null || context.getExecutionException().isEmpty()) {
      return;
    }
    Path dir = ARTIFACTS.resolve(context.getRequiredTestClass().getSimpleName() + "."
        + context.getRequiredTestMethod().getName());
    try {
      stack.saveArtifacts(dir);
      System.err.println("[e2e] artifacts of the failed scenario: " + dir.toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      context.getExecutionException().get().addSuppressed(e);
    }
  }
}
