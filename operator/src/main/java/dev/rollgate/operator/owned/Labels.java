package dev.rollgate.operator.owned;

import dev.rollgate.operator.api.ApiDeployment;
import dev.rollgate.operator.rollout.JobRun;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and {@code app.kubernetes.io/*} labels of the objects an ApiDeployment owns. */
public final class Labels {
    private Labels() {}

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String VERSION = "app.kubernetes.io/version";
    public static final String MANAGER = "rollgate";
    /** Selects every object Rollgate manages, for the informers. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

    /** Labels that never change for the life of the object; the Deployment selector uses them. */
    public static Map<String, String> selector(ApiDeployment cr, Tier tier) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NAME, cr.getMetadata().getName());
        m.put(INSTANCE, cr.getMetadata().getName());
        m.put(COMPONENT, tier.role);
        return m;
    }

    public static Map<String, String> common(ApiDeployment cr, Tier tier) {
        return common(cr, tier.role);
    }

    /** The component of a migration Job and its pod. */
    public static final String MIGRATION = "migration";

    public static final String BACKUP = "backup";
    public static final String RESTORE = "restore";

    public static String jobComponent(JobRun.Kind kind) {
        return switch (kind) {
            case MIGRATION -> MIGRATION;
            case BACKUP -> BACKUP;
            case RESTORE -> RESTORE;
        };
    }

    /** Labels of any object Rollgate makes for {@code cr}; {@code component} says which part it is. */
    public static Map<String, String> common(ApiDeployment cr, String component) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NAME, cr.getMetadata().getName());
        m.put(INSTANCE, cr.getMetadata().getName());
        m.put(COMPONENT, component);
        m.put(PART_OF, cr.getMetadata().getName());
        m.put(MANAGED_BY, MANAGER);
        return m;
    }
}
