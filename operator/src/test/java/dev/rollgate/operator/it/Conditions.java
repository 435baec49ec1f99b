package dev.rollgate.operator.it;

import dev.rollgate.operator.api.ApiDeploymentStatus;

final class Conditions {
  private Conditions() {}

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
