package dev.rollgate.clinic.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.UUID;

/** Small request helpers shared by the ITs. Every request has a client timeout, so a hang fails fast. */
public final class Http {

    private static final int CLIENT_TIMEOUT_MILLIS = 20_000;

    private Http() {}

    public static void withClientTimeouts() {
        RestAssured.config = RestAssuredConfig.config()
                .httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.connection.timeout", CLIENT_TIMEOUT_MILLIS)
                        .setParam("http.socket.timeout", CLIENT_TIMEOUT_MILLIS));
    }

    public static int status(String path) {
        return given().get(path).statusCode();
    }

    /** POST /api/patients with a fresh e-mail derived from {@code key}; key may be null (no header). */
    public static Response createPatient(String key, String email) {
        var request = given().contentType(ContentType.JSON)
                .body("{\"name\":\"Patient " + email + "\",\"email\":\"" + email + "\",\"birthDate\":\"1980-05-17\"}");
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/patients");
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "@example.com";
    }
}
