package dev.rollgate.operator.it;

import dev.rollgate.operator.api.ApiDeploymentStatus;

final class Conditions {
  private Conditions() {}

  static String status(ApiDeploymentStatus st, String type) {
    var c = dev.rollgate.operator.rollout.Conditions.find(st.conditions, type);
    return c == null ? null : c.getStatus();
  }
}
