package dev.rollgate.operator.owned;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short hash of a desired object's spec, stored on it to tell whether a re-apply would change anything. */
final class SpecHash {
    private SpecHash() {}

    static final String ANNOTATION = "rollgate.dev/applied-hash";
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    static String of(HasMetadata desired) {
        try {
            var tree = JSON.valueToTree(desired);
            byte[] bytes = JSON.writeValueAsBytes(tree);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
