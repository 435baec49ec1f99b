package dev.rollgate.clinic;

import static dev.rollgate.clinic.testing.Http.createPatient;
import static dev.rollgate.clinic.testing.Http.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollgate.clinic.data.AwaitReadyDatabase;
import dev.rollgate.clinic.testing.DatabaseUp;
import dev.rollgate.clinic.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API against a running PostgreSQL: domain rules, refusals and their status codes. */
@QuarkusTest
@TestProfile(DatabaseUp.class)
class ClinicApiIT {

    @Inject
    AwaitReadyDatabase database;

    @BeforeAll
    static void clientTimeouts() {
        Http.withClientTimeouts();
    }

    @Test
    void createsGetsAndPagesPatients() {
        String email = uniqueEmail("ann");
        long id = createPatient(null, email)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        given().get("/api/patients/" + id).then().statusCode(200).body("email", equalTo(email));
        given().get("/api/patients/999999999").then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        createPatient(null, uniqueEmail("bob")).then().statusCode(201);
        given().get("/api/patients?page=0&size=1")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("size", equalTo(1));
        given().get("/api/patients?size=1000").then().statusCode(400).body("error", equalTo("INVALID_INPUT"));
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstResponseAndWritesNothing() {
        String key = UUID.randomUUID().toString();
        String email = uniqueEmail("idem");
        Response first = createPatient(key, email);
        Response second = createPatient(key, email);
        assertEquals(201, first.statusCode());
        assertEquals(201, second.statusCode());
        assertEquals(first.asString(), second.asString());
        assertEquals("true", second.header("Idempotent-Replayed"));
        given().get("/api/patients?size=100").then().body("items.findAll { it.email == '" + email + "' }", hasSize(1));
    }

    @Test
    void aReusedIdempotencyKeyWithADifferentBodyAnswers422AndWritesNothing() {
        String key = UUID.randomUUID().toString();
        String email = uniqueEmail("first");
        Response first = createPatient(key, email);
        assertEquals(201, first.statusCode());

        String otherEmail = uniqueEmail("other");
        createPatient(key, otherEmail)
                .then()
                .statusCode(422)
                .body("error", equalTo("IDEMPOTENCY_KEY_REUSED"))
                .body("message", containsString("Idempotency-Key"));
        given().get("/api/patients?size=100")
                .then()
                .body("items.findAll { it.email == '" + otherEmail + "' }", hasSize(0));

        // The same body still replays, and the same key is free in another scope (appointments of a patient).
        Response replay = createPatient(key, email);
        assertEquals(first.asString(), replay.asString());
        long patient = first.jsonPath().getLong("id");
        Instant start = Instant.now().plus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        bookWithKey(key, patient, "Dr Key " + UUID.randomUUID(), start, start.plus(30, ChronoUnit.MINUTES))
                .then()
                .statusCode(201);
        bookWithKey(key, patient, "Dr Key " + UUID.randomUUID(), start, start.plus(45, ChronoUnit.MINUTES))
                .then()
                .statusCode(422);
    }

    @Test
    void aConstraintViolationIsAttemptedOnceAndAnswers409() {
        String email = uniqueEmail("twice");
        createPatient(null, email).then().statusCode(201);

        long attemptsBefore = database.attemptCount();
        createPatient(null, email)
                .then()
                .statusCode(409)
                .body("error", equalTo("CONFLICT"))
                .body("message", containsString("email"));
        assertEquals(1, database.attemptCount() - attemptsBefore, "a unique violation is not retried");
    }

    @Test
    void anOverlappingSlotForTheSamePractitionerIs409AndTouchingSlotsAreFine() {
        long patient = createPatient(null, uniqueEmail("slot"))
                .then()
                .extract()
                .jsonPath()
                .getLong("id");
        String practitioner = "Dr " + UUID.randomUUID();
        Instant nine = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        book(patient, practitioner, nine, nine.plus(30, ChronoUnit.MINUTES))
                .then()
                .statusCode(201)
                .body("practitioner", equalTo(practitioner));

        long attemptsBefore = database.attemptCount();
        book(patient, practitioner, nine.plus(15, ChronoUnit.MINUTES), nine.plus(45, ChronoUnit.MINUTES))
                .then()
                .statusCode(409)
                .body("message", containsString("overlapping"));
        assertEquals(1, database.attemptCount() - attemptsBefore, "an exclusion violation is not retried");

        book(patient, practitioner, nine.plus(30, ChronoUnit.MINUTES), nine.plus(60, ChronoUnit.MINUTES))
                .then()
                .statusCode(201);
        book(patient, "Dr Other " + UUID.randomUUID(), nine, nine.plus(30, ChronoUnit.MINUTES))
                .then()
                .statusCode(201);
        given().get("/api/patients/" + patient + "/appointments")
                .then()
                .statusCode(200)
                .body("$", hasSize(3));
        book(999_999_999L, practitioner, nine.plus(5, ChronoUnit.DAYS), nine.plus(6, ChronoUnit.DAYS))
                .then()
                .statusCode(404);
    }

    @Test
    void badInputAnswers400WithAReason() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"email\":\"not-an-email\",\"birthDate\":\"1980-01-01\"}")
                .post("/api/patients")
                .then()
                .statusCode(400)
                .body("error", equalTo("INVALID_INPUT"))
                .body("message", containsString("email"))
                .body("message", containsString("name"));
        long patient = createPatient(null, uniqueEmail("bad"))
                .then()
                .extract()
                .jsonPath()
                .getLong("id");
        Instant start = Instant.now().plus(10, ChronoUnit.DAYS);
        book(patient, "Dr Backwards", start, start.minus(1, ChronoUnit.HOURS))
                .then()
                .statusCode(400)
                .body("message", containsString("endsAt must be after startsAt"));
        createPatient("key with spaces", uniqueEmail("key"))
                .then()
                .statusCode(400)
                .body("message", containsString("Idempotency-Key"));
    }

    @Test
    void aDataErrorIs400AndNotRetried() {
        // Valid JSON and valid for Bean Validation, but PostgreSQL text cannot hold NUL: SQLState 22xxx.
        long attemptsBefore = database.attemptCount();
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"nul\\u0000byte\",\"email\":\"" + uniqueEmail("nul")
                        + "\",\"birthDate\":\"1980-01-01\"}")
                .post("/api/patients")
                .then()
                .statusCode(400)
                .body("error", equalTo("INVALID_INPUT"));
        assertEquals(1, database.attemptCount() - attemptsBefore, "a data error is not retried");
    }

    @Test
    void loginChecksTheStoredHash() {
        login("demo", "demo-password").then().statusCode(200).body("username", equalTo("demo"));
        login("demo", "wrong").then().statusCode(401).body("error", equalTo("INVALID_CREDENTIALS"));
        login("nobody", "demo-password").then().statusCode(401);
    }

    @Test
    void infoReportsVersionAndRole() {
        given().get("/api/info")
                .then()
                .statusCode(200)
                .body("role", equalTo("api"))
                .body("service", equalTo("clinic"));
    }

    private static Response login(String username, String password) {
        return given().contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .post("/api/login");
    }

    static Response book(long patient, String practitioner, Instant start, Instant end) {
        return bookWithKey(null, patient, practitioner, start, end);
    }

    private static Response bookWithKey(String key, long patient, String practitioner, Instant start, Instant end) {
        var request = given().contentType(ContentType.JSON)
                .body("{\"practitioner\":\"" + practitioner + "\",\"startsAt\":\"" + start + "\",\"endsAt\":\"" + end
                        + "\"}");
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/patients/" + patient + "/appointments");
    }
}
