package dev.rollgate.e2e.scenario;

import dev.rollgate.testkit.LocalKubernetes;
import dev.rollgate.testkit.SaveArtifactsOnFailure;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method its own {@link RollgateStack} and tears it down afterwards. When the test
 * method fails, {@link SaveArtifactsOnFailure} saves the stack's artifacts first — right after the
 * method, while the operator and the namespaces still exist.
 */
final class ScenarioExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RollgateStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String test = context.getRequiredTestClass().getSimpleName().replace("IT", "")
                + context.getTestMethod().map(m -> "-" + m.getName()).orElse("");
        RollgateStack stack = RollgateStack.inFreshNamespaces(LocalKubernetes.get(), test);
        SaveArtifactsOnFailure.tearDownAfterTest(context, stack);
        return stack;
    }
}
