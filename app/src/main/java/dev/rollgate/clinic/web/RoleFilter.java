package dev.rollgate.clinic.web;

import dev.rollgate.clinic.config.ClinicConfig;
import dev.rollgate.clinic.config.Role;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A worker answers 404 on {@code /api}: it has the same code as the api tier, but a misrouted request
 * should fail visibly rather than be served by a pod that is not scaled for it. Health endpoints live
 * outside {@code /api} and are served by both roles.
 */
public class RoleFilter {

    /** Lazy: filters are built during static init, before runtime configuration exists. */
    @Inject
    Instance<ClinicConfig> config;

    @ServerRequestFilter(preMatching = true)
    public Response rejectApiOnWorker(ContainerRequestContext request) {
        if (!refuses(config.get().role(), request.getUriInfo().getPath())) {
            return null;
        }
        return ApiError.response(
                Response.Status.NOT_FOUND,
                "NOT_SERVED_BY_ROLE",
                "this instance runs the " + config.get().role().name().toLowerCase() + " role and serves no API");
    }

    /** True when {@code role} must not serve {@code path}. */
    static boolean refuses(Role role, String path) {
        return !role.servesApi() && (path.equals("/api") || path.startsWith("/api/"));
    }
}
