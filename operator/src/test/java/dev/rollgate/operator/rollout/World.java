package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.RolloutDeciderTable.*;

import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.Backup;
import dev.rollgate.operator.api.BackupStatus;
import dev.rollgate.operator.api.Compatibility;
import dev.rollgate.operator.api.FailedImage;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.ImageResolutionStatus;
import dev.rollgate.operator.api.KnownGoodBackup;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.Migration;
import dev.rollgate.operator.api.MigrationStatus;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.api.RestoreStatus;
import dev.rollgate.operator.api.RolloutProgress;
import dev.rollgate.operator.image.ImageResolver;
import dev.rollgate.operator.image.Resolution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds a RolloutInput for a table row step by step (the defaults: see {@link RolloutDeciderTable}). */
final class World {
    ApiDeploymentSpec spec = new ApiDeploymentSpec();
    ApiDeploymentStatus status = null;
    long generation = GEN;
    String retryToken = null;
    TierObservation api = TierObservation.missing();
    TierObservation worker = TierObservation.missing();
    List<PodFailure> pods = new ArrayList<>();
    List<DependencyState> deps = new ArrayList<>();
    Instant now = NOW;
    ImageResolver registry = ImageResolver.NONE;
    List<JobObservation> jobs = new ArrayList<>();
    String restoreRequest = null;
    String abortRequest = null;
    ApplyOutcome applied = null;
    int tierPods = 3;

    World() {
        spec.image = V1;
    }

    static World spec(String image) {
        World w = new World();
        w.spec.image = image;
        return w;
    }

    World with(Consumer<World> change) {
        change.accept(this);
        return this;
    }

    /** status: phase, image, targetImage, lastKnownGood; rolloutStartedAt = STARTED when a target is set. */
    World status(Phase phase, String image, String target, String lkg) {
        status = new ApiDeploymentStatus();
        status.phase = phase;
        status.image = image;
        status.targetImage = target;
        if (lkg != null) {
            status.lastKnownGood =
                    new LastKnownGood(lkg, null, STARTED.minusSeconds(3600).toString());
        }
        if (target != null) {
            status.rolloutStartedAt = Times.format(STARTED);
            if (phase == Phase.RollingBack) {
                status.rolloutStartedAt = Times.format(STARTED.minusSeconds(50));
                status.revertStartedAt = Times.format(STARTED);
            }
        }
        return this;
    }

    World failed(String image, String reason) {
        status.failedImage = new FailedImage();
        status.failedImage.image = image;
        status.failedImage.reason = reason;
        status.failedImage.generation = GEN;
        return this;
    }

    /** The Synced condition as a reconcile recorded it at {@code since}. */
    World synced(boolean accepted, String message, Instant since) {
        status.conditions = new ArrayList<>(status.conditions);
        Conditions.set(
                status.conditions,
                Reasons.SYNCED,
                accepted,
                accepted ? Reasons.APPLIED : Reasons.APPLY_FAILED,
                message,
                GEN,
                since);
        return this;
    }

    /** spec.migration with the given compatibility. */
    World migration(Compatibility compatibility) {
        spec.migration = new Migration();
        spec.migration.compatibility = compatibility;
        spec.migration.timeoutSeconds = 600;
        return this;
    }

    /** status.migration: the rollout in flight's Job, as recorded, started at STARTED. */
    World migrationRecorded(String image, MigrationStatus.Result result) {
        status.migration = new MigrationStatus(
                MIGRATION_JOB,
                image,
                spec.migration == null ? Compatibility.Expand : spec.migration.compatibility,
                Times.format(STARTED));
        status.migration.result = result;
        return this;
    }

    /** The migration Job as its controller reports it. */
    World job(JobObservation.State state, boolean timedOut) {
        return job(MIGRATION_JOB, state, timedOut);
    }

    World job(String name, JobObservation.State state, boolean timedOut) {
        jobs.add(new JobObservation(
                name,
                state,
                timedOut,
                state == JobObservation.State.Failed ? "BackoffLimitExceeded; exit code 1: ERROR: it failed" : null));
        return this;
    }

    /** spec.backup: pg_dump / pg_restore in the postgres image. */
    World backup() {
        spec.backup = new Backup();
        spec.backup.image = PG;
        spec.backup.command = List.of("pg-dump-to-volume");
        spec.backup.restoreCommand = List.of("pg-restore-from-volume");
        return this;
    }

    /** status.migration.backup, the backup Job of the rollout in flight. */
    World backupRecorded(MigrationStatus.Result result) {
        status.migration.backup = new BackupStatus(BACKUP_JOB, BACKUP_JOB, Times.format(STARTED));
        status.migration.backup.result = result;
        return this;
    }

    /** lastKnownGood.backup: the backup taken before the rollout in flight's migration. */
    World knownGoodBackup() {
        status.lastKnownGood.backup = new KnownGoodBackup(BACKUP_JOB, Times.format(STARTED), MIGRATION_JOB);
        return this;
    }

    /** The RestoreAvailable condition a held rollout with a backup carries. */
    World restoreAvailable() {
        status.conditions = new ArrayList<>(status.conditions);
        Conditions.set(
                status.conditions, Reasons.RESTORE_AVAILABLE, true, Reasons.BACKUP_TAKEN, "annotate", GEN, STARTED);
        return this;
    }

    /** status.restore: a restore in flight at {@code step}. */
    World restoring(RestoreStatus.Step step, MigrationStatus.Result result) {
        status.restore = new RestoreStatus();
        status.restore.requested = BACKUP_JOB;
        status.restore.step = step;
        status.restore.job = RESTORE_JOB;
        status.restore.result = result.name();
        status.restore.startedAt = Times.format(STARTED);
        restoreRequest = BACKUP_JOB;
        return this;
    }

    World tiers(String image, RolloutVerdict verdict) {
        api = tier(image, verdict, 2);
        worker = tier(image, verdict, 1);
        return this;
    }

    World podFailure(String image, String reason) {
        pods.add(new PodFailure("clinic-api-abc", image, reason, ""));
        return this;
    }

    /** lastKnownGood.digest (status must be set). */
    World knownGoodDigest(String digest) {
        status.lastKnownGood.digest = digest;
        return this;
    }

    /** What the ready pods report as imageID: the api's two, then the worker's one. */
    World imageIds(String api1, String api2, String worker1) {
        api = api.withReadyImageIds(List.of(api1, api2));
        worker = worker.withReadyImageIds(List.of(worker1));
        return this;
    }

    /** imageResolution Registry, with what the registry answers for each image (anything else: a test failure). */
    World registry(Map<String, Resolution> answers) {
        spec.rollout.imageResolution = ImageResolution.Registry;
        registry = image -> {
            Resolution r = answers.get(image);
            if (r == null) {
                throw new AssertionError("the registry was asked for " + image);
            }
            return r;
        };
        return this;
    }

    /** A rollout to spec.image waiting for the registry: failures so far, next attempt at {@code retryAt}. */
    World resolutionPending(int failures, Instant retryAt) {
        status.imageResolution = new ImageResolutionStatus(spec.image, failures, Times.format(retryAt));
        return this;
    }

    /** status.progress: the high mark so far and when it last rose. */
    World progress(Integer mark, Instant at) {
        status.progress = new RolloutProgress(mark, Times.format(at));
        return this;
    }

    /** The Deployments' progress marks now (the controller has observed the template). */
    World marks(int apiMark, int workerMark) {
        api = api.withProgress(apiMark);
        worker = worker.withProgress(workerMark);
        return this;
    }

    World dependency(boolean ready) {
        deps.add(new DependencyState("clinic-postgres", ready, ready ? "1/1 ready" : "0/1 ready"));
        return this;
    }

    RolloutInput input() {
        Map<String, JobObservation> jobs = new java.util.LinkedHashMap<>();
        this.jobs.forEach(j -> jobs.put(j.name(), j));
        return new RolloutInput(
                "clinic",
                spec,
                generation,
                retryToken,
                restoreRequest,
                abortRequest,
                status,
                new Observations(api, worker, pods, deps, jobs, tierPods),
                now,
                registry,
                applied);
    }
}
