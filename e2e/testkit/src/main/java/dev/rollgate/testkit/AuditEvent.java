package dev.rollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of the API server's audit log (audit.k8s.io/v1 Event), with the fields tests ask
 * about. {@code impersonatedUser} is null unless the request impersonated someone; {@link #raw()}
 * has everything else.
 *
 * @param verb create, update, patch, delete or deletecollection (the policy records only writes)
 * @param username who authenticated, e.g. {@code system:serviceaccount:shop:rollgate-operator}
 * @param impersonatedUser whom the request acted as, if it impersonated
 * @param code the HTTP status of the response, e.g. 201, 403, 422
 */
public record AuditEvent(
        String auditId,
        String stage,
        String verb,
        String username,
        String impersonatedUser,
        String apiGroup,
        String resource,
        String subresource,
        String namespace,
        String name,
        int code,
        String userAgent,
        JsonNode raw) {

    static AuditEvent of(JsonNode e) {
        JsonNode ref = e.path("objectRef");
        return new AuditEvent(
                text(e.path("auditID")),
                text(e.path("stage")),
                text(e.path("verb")),
                text(e.path("user").path("username")),
                text(e.path("impersonatedUser").path("username")),
                text(ref.path("apiGroup")),
                text(ref.path("resource")),
                text(ref.path("subresource")),
                text(ref.path("namespace")),
                text(ref.path("name")),
                e.path("responseStatus").path("code").asInt(0),
                text(e.path("userAgent")),
                e);
    }

    /** The identity the request acted as: the impersonated user if any, else the authenticated one. */
    public String effectiveUser() {
        return impersonatedUser != null ? impersonatedUser : username;
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
