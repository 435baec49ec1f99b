package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The backup of the database as the last known-good image left it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KnownGoodBackup {

    @JsonPropertyDescription("The backup's name: annotate the ApiDeployment rollgate.dev/restore=<id> to restore it.")
    public String id;

    @JsonPropertyDescription("When the backup started (RFC 3339): a restore loses every write made after it.")
    public String takenAt;

    @JsonPropertyDescription("The migration Job that ran after it: the change a restore undoes.")
    public String beforeMigration;

    public KnownGoodBackup() {}

    public KnownGoodBackup(String id, String takenAt, String beforeMigration) {
        this.id = id;
        this.takenAt = takenAt;
        this.beforeMigration = beforeMigration;
    }
}
