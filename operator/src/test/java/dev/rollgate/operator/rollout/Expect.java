package dev.rollgate.operator.rollout;

import dev.rollgate.operator.api.HistoryEntry.Result;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a table row's decision must look like. */
final class Expect {
    Phase phase;
    Optional<String> apply = Optional.empty();
    String image;
    String target;
    String lkg;
    String failed;
    String failedReason;
    List<String> events = List.of();
    Result history;
    Duration requeue;
    String rolloutStartedAt;
    boolean checkDigest;
    String digest;
    String progressAt;
    String jobImage;
    JobRun.Kind jobKind;
    boolean stop;
    String knownGoodBackup;
    MigrationStatus.Result migrationResult;
    List<List<String>> conditions = new ArrayList<>();

    static Expect phase(Phase phase) {
        Expect e = new Expect();
        e.phase = phase;
        return e;
    }

    Expect apply(String image) {
        this.apply = Optional.of(image);
        return this;
    }

    Expect images(String image, String target, String lkg) {
        this.image = image;
        this.target = target;
        this.lkg = lkg;
        return this;
    }

    Expect failed(String image, String reason) {
        this.failed = image;
        this.failedReason = reason;
        return this;
    }

    Expect events(String... reasons) {
        this.events = List.of(reasons);
        return this;
    }

    Expect history(Result result) {
        this.history = result;
        return this;
    }

    Expect requeue(Duration d) {
        this.requeue = d;
        return this;
    }

    /** lastKnownGood.digest, and the digest of the Succeeded history entry if one is expected. */
    Expect digest(String digest) {
        this.checkDigest = true;
        this.digest = digest;
        return this;
    }

    /** status.progress.at after the decision. */
    Expect progressAt(Instant at) {
        this.progressAt = Times.format(at);
        return this;
    }

    /** The migration Job the decision asks for, with the image it runs. */
    Expect job(String image) {
        this.jobImage = image;
        return this;
    }

    Expect jobKind(JobRun.Kind kind) {
        this.jobKind = kind;
        return this;
    }

    /** Both tiers applied with 0 replicas. */
    Expect stop() {
        this.stop = true;
        return this;
    }

    Expect knownGoodBackup(String id) {
        this.knownGoodBackup = id;
        return this;
    }

    Expect migration(MigrationStatus.Result result) {
        this.migrationResult = result;
        return this;
    }

    Expect condition(String type, String status, String reason) {
        this.conditions.add(List.of(type, status, reason));
        return this;
    }

    Expect startedAt(Instant at) {
        this.rolloutStartedAt = Times.format(at);
        return this;
    }
}
