package dev.rollgate.operator.api;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Build-time CRD post-processor for what the annotations cannot say:
 * <ul>
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
        JSONSchemaProps spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        JSONSchemaProps names = spec.getProperties().get("dependencies").getProperties().get("statefulSets")
            .getItems().getSchema();
        names.setMaxLength(NAME_MAX_LENGTH);
        POD_OVERLAYS.forEach(at -> podOverlay(spec.getProperties().get(at).getProperties().get("pod")));
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
