-- btree_gist lets one exclusion constraint combine equality (practitioner) with range overlap (slot).
-- It is a trusted extension since PostgreSQL 13: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE patients (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL,
    email       text        NOT NULL,
    birth_date  date        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT patients_email_unique UNIQUE (email)
);

CREATE TABLE appointments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id    bigint      NOT NULL REFERENCES patients (id),
    practitioner  text        NOT NULL,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT appointments_ends_after_start CHECK (ends_at > starts_at),
    -- Race-free double-booking guard: two concurrent inserts cannot both pass, whatever the app does.
    -- '[)' makes back-to-back slots (10:00-10:30, 10:30-11:00) legal.
    CONSTRAINT appointments_no_overlap
        EXCLUDE USING gist (practitioner WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
);
CREATE INDEX appointments_by_patient ON appointments (patient_id, starts_at);

-- The reminder outbox: written in the appointment's transaction, drained by the worker role.
CREATE TABLE reminder_jobs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appointment_id  bigint      NOT NULL REFERENCES appointments (id),
    status          text        NOT NULL DEFAULT 'PENDING'
                                CONSTRAINT reminder_jobs_status CHECK (status IN ('PENDING', 'DONE', 'PARKED')),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    run_after       timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE INDEX reminder_jobs_due ON reminder_jobs (run_after, id) WHERE status = 'PENDING';

-- One row per create request: the key is claimed, and the response stored, in the create's transaction.
CREATE TABLE idempotency_keys (
    scope            text        NOT NULL,
    key              text        NOT NULL,
    response_status  integer,
    response_body    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

CREATE TABLE users (
    username       text PRIMARY KEY,
    password_hash  text NOT NULL
);
