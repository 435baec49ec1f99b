package dev.rollgate.operator.rollout;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Sets conditions the way the Kubernetes API conventions ask: one entry per type, and
 * {@code lastTransitionTime} moves only when the status value changes (a new reason or
 * message alone is not a transition).
 */
public final class Conditions {
    private Conditions() {}

    public static void set(
            List<Condition> conditions,
            String type,
            boolean status,
            String reason,
            String message,
            long generation,
            Instant now) {
        set(conditions, type, status ? "True" : "False", reason, message, generation, now);
    }

    public static void set(
            List<Condition> conditions,
            String type,
            String status,
            String reason,
            String message,
            long generation,
            Instant now) {
        Condition existing = find(conditions, type);
        String transition = existing != null && status.equals(existing.getStatus())
                ? existing.getLastTransitionTime()
                : Times.format(now);
        Condition next = new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build();
        if (existing == null) {
            conditions.add(next);
        } else if (!same(existing, next)) {
            conditions.set(conditions.indexOf(existing), next);
        }
    }

    public static Condition find(List<Condition> conditions, String type) {
        return conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition c = find(conditions, type);
        return c != null && "True".equals(c.getStatus());
    }

    private static boolean same(Condition a, Condition b) {
        return Objects.equals(a.getStatus(), b.getStatus())
                && Objects.equals(a.getReason(), b.getReason())
                && Objects.equals(a.getMessage(), b.getMessage())
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getLastTransitionTime(), b.getLastTransitionTime());
    }
}
