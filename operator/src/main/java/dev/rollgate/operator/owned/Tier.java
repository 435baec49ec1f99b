package dev.rollgate.operator.owned;

import dev.rollgate.operator.api.ApiDeployment;

/**
 * One of the two tiers an ApiDeployment runs: the api pods behind the Service, and the worker
 * pods. Each tier is one Deployment named {@code <name>-<role>}, and its pods carry the role as
 * their {@code app.kubernetes.io/component} label.
 */
public enum Tier {
    API("api"),
    WORKER("worker");

    public final String role;

    Tier(String role) {
        this.role = role;
    }

    public String objectName(ApiDeployment cr) {
        return cr.getMetadata().getName() + "-" + role;
    }
}
