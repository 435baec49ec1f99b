package dev.rollgate.operator.api;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Build-time CRD post-processor for what the annotations cannot say:
 * <ul>
 *   <li>rules on metadata.name (only the root of the schema may read it): short enough, and a
 *       DNS-1035 label, for the object names Rollgate derives from it;
 *   <li>printer columns in the order {@code kubectl get apid} should show them (the generator
 *       sorts them by name);
 *   <li>a maximum length on each {@code dependencies.statefulSets} item: without it the API
 *       server estimates the CEL rule over them as unbounded and rejects the whole CRD;
 *   <li>in each {@code pod} overlay (api, worker, backup), a maximum length on volume and mount names (for the
 *       same reason: the volumeMounts rule compares them), and the list keys Kubernetes' own pod
 *       spec has on volumes, volumeMounts and topologySpreadConstraints. A duplicate key is then
 *       rejected at admission instead of failing every server-side apply of the Deployment.
 * </ul>
 */
public class CrdPostProcessing implements CRDPostProcessor {
    static final List<String> COLUMN_ORDER = List.of("Desired", "Running", "Phase", "Ready", "Age", "Digest");
    static final long NAME_MAX_LENGTH = 63;
    /** Where a pod overlay sits under spec: the two tiers, and the backup and restore Jobs. */
    static final List<String> POD_OVERLAYS = List.of("api", "worker", "backup");

    /** {@code <name>-worker} (the longest derived name) must be a DNS-1035 label of at most 63. */
    static final int NAME_MAX = 56;

    static final String NAME_LENGTH_RULE = "self.metadata.name.size() <= " + NAME_MAX;
    static final String NAME_LENGTH_MESSAGE = "metadata.name may be at most " + NAME_MAX + " characters: Rollgate "
            + "creates the Deployment <name>-worker and the Service <name>-api from it, which must be DNS-1035 labels of at "
            + "most 63 characters; choose a shorter name";
    static final String NAME_LABEL_RULE = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')";
    static final String NAME_LABEL_MESSAGE = "metadata.name must be a DNS-1035 label: lowercase letters, digits and "
            + "'-', starting with a letter and ending with a letter or digit, no dots (the Service <name>-api is named after "
            + "it), e.g. clinic-eu";

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition v1) {
            v1.getSpec().getVersions().forEach(v -> {
                List<CustomResourceColumnDefinition> columns = v.getAdditionalPrinterColumns();
                if (columns != null) {
                    columns.sort(Comparator.comparingInt(c -> {
                        int i = COLUMN_ORDER.indexOf(c.getName());
                        return i < 0 ? COLUMN_ORDER.size() : i;
                    }));
                }
                JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
                List<ValidationRule> rules = root.getXKubernetesValidations() == null
                        ? new ArrayList<>()
                        : new ArrayList<>(root.getXKubernetesValidations());
                rules.add(new ValidationRuleBuilder()
                        .withRule(NAME_LENGTH_RULE)
                        .withMessage(NAME_LENGTH_MESSAGE)
                        .build());
                rules.add(new ValidationRuleBuilder()
                        .withRule(NAME_LABEL_RULE)
                        .withMessage(NAME_LABEL_MESSAGE)
                        .build());
                root.setXKubernetesValidations(rules);
                JSONSchemaProps spec = root.getProperties().get("spec");
                JSONSchemaProps names = spec.getProperties()
                        .get("dependencies")
                        .getProperties()
                        .get("statefulSets")
                        .getItems()
                        .getSchema();
                names.setMaxLength(NAME_MAX_LENGTH);
                POD_OVERLAYS.forEach(at ->
                        podOverlay(spec.getProperties().get(at).getProperties().get("pod")));
            });
        }
        return crd;
    }

    private static void podOverlay(JSONSchemaProps pod) {
        JSONSchemaProps volume = keyedList(pod, "volumes", "name");
        volume.getProperties().get("name").setMaxLength(NAME_MAX_LENGTH);
        JSONSchemaProps mount = keyedList(pod, "volumeMounts", "mountPath");
        mount.getProperties().get("name").setMaxLength(NAME_MAX_LENGTH);
        require(mount, "name");
        keyedList(pod, "topologySpreadConstraints", "topologyKey", "whenUnsatisfiable");
    }

    /** Makes a list a map keyed by the given item fields (which must then be required); returns the item schema. */
    private static JSONSchemaProps keyedList(JSONSchemaProps parent, String list, String... keys) {
        JSONSchemaProps schema = parent.getProperties().get(list);
        schema.setXKubernetesListType("map");
        schema.setXKubernetesListMapKeys(List.of(keys));
        JSONSchemaProps item = schema.getItems().getSchema();
        for (String key : keys) {
            require(item, key);
        }
        return item;
    }

    private static void require(JSONSchemaProps item, String field) {
        List<String> required = item.getRequired() == null ? new ArrayList<>() : new ArrayList<>(item.getRequired());
        if (!required.contains(field)) {
            required.add(field);
        }
        item.setRequired(required);
    }
}
