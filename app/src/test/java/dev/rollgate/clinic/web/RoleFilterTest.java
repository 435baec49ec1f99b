package dev.rollgate.clinic.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollgate.clinic.config.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which role serves which path: the worker keeps its health endpoints and refuses the API. */
class RoleFilterTest {

    @ParameterizedTest(name = "{0} {1} → refused: {2}")
    @CsvSource({
        "API,    /api/patients,   false",
        "API,    /api/info,       false",
        "WORKER, /api/patients,   true",
        "WORKER, /api/info,       true",
        "WORKER, /api,            true",
        "WORKER, /apiary,         false",
        "WORKER, /q/health/ready, false",
        "API,    /q/health/live,  false",
    })
    void theWorkerServesNoApi(Role role, String path, boolean refused) {
        assertEquals(refused, RoleFilter.refuses(role, path));
    }
}
