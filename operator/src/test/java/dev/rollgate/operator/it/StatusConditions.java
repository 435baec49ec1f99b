package dev.rollgate.operator.it;

import dev.rollgate.operator.api.ApiDeploymentStatus;

/**
 * The conditions of an ApiDeployment's status, read for assertions; a test failure names the
 * missing type. Not to be confused with the operator's {@code rollout.Conditions}, which writes them.
 */
final class StatusConditions {
    private StatusConditions() {}

    /** The condition of that type; a test failure when there is none. */
    static io.fabric8.kubernetes.api.model.Condition of(ApiDeploymentStatus st, String type) {
        var c = dev.rollgate.operator.rollout.Conditions.find(st.conditions, type);
        if (c == null) {
            throw new AssertionError("no " + type + " condition in " + st.conditions);
        }
        return c;
    }

    static String status(ApiDeploymentStatus st, String type) {
        var c = dev.rollgate.operator.rollout.Conditions.find(st.conditions, type);
        return c == null ? null : c.getStatus();
    }
}
