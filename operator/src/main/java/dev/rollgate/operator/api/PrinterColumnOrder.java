package dev.rollgate.operator.api;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Comparator;
import java.util.List;

/**
 * Build-time CRD post-processor: the generator sorts printer columns by name, but
 * {@code kubectl get apid} should read DESIRED, RUNNING, PHASE, READY, AGE.
 */
public class PrinterColumnOrder implements CRDPostProcessor {
  static final List<String> ORDER = List.of("Desired", "Running", "Phase", "Ready", "Age");

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (crd instanceof CustomResourceDefinition v1) {
      v1.getSpec().getVersions().forEach(v -> {
        List<CustomResourceColumnDefinition> columns = v.getAdditionalPrinterColumns();
        if (columns != null) {
          columns.sort(Comparator.comparingInt(c -> {
            int i = ORDER.indexOf(c.getName());
            return i < 0 ? ORDER.size() : i;
          }));
        }
      });
    }
    return crd;
  }
}
