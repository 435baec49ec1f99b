package dev.rollgate.operator.api;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.Comparator;
import java.util.List;

/**
 * Build-time CRD post-processor for what the annotations cannot say:
 * <ul>
 *   <li>printer columns in the order {@code kubectl get apid} should show them (the generator
 *       sorts them by name);
 *   <li>a maximum length on each {@code dependencies.statefulSets} item: without it the API
 *       server estimates the CEL rule over them as unbounded and rejects the whole CRD.
 * </ul>
 */
public class CrdPostProcessing implements CRDPostProcessor {
  static final List<String> COLUMN_ORDER = List.of("Desired", "Running", "Phase", "Ready", "Age");
  static final long NAME_MAX_LENGTH = 63;

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
        JSONSchemaProps names = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties()
            .get("dependencies").getProperties().get("statefulSets").getItems().getSchema();
        names.setMaxLength(NAME_MAX_LENGTH);
      });
    }
    return crd;
  }
}
