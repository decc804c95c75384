-- Tidbok schema, version 1: the whole domain model of DESIGN.md.
-- Conventions: ids are UUIDv7 text; instants are INTEGER epoch milliseconds UTC; wall-clock
-- template times are 'HH:mm' and dates 'YYYY-MM-DD' in the unit's time zone. Every row that
-- syncs carries version / remote_id / remote_version / updated_at / updated_by.
-- Booleans are INTEGER 0/1 with a CHECK; JSON columns are checked with json_valid().

CREATE TABLE units (
  id             TEXT PRIMARY KEY,
  hsa_id         TEXT NOT NULL UNIQUE CHECK (hsa_id GLOB 'SE[0-9]*-[0-9A-Za-z]*'),
  name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone      TEXT NOT NULL DEFAULT 'Europe/Stockholm',
  -- Which eves count as closed days: {"julafton":true,"nyarsafton":true,"midsommarafton":true}
  holiday_rules  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(holiday_rules)),
  version        INTEGER NOT NULL DEFAULT 1,
  remote_id      TEXT,
  remote_version TEXT,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT
) STRICT;

CREATE TABLE resources (
  id             TEXT PRIMARY KEY,
  unit_id        TEXT NOT NULL REFERENCES units(id),
  kind           TEXT NOT NULL CHECK (kind IN ('clinician', 'room', 'equipment')),
  name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Profession code for clinicians (lakare, sjukskoterska, ...); NULL for rooms and equipment.
  profession     TEXT,
  title          TEXT,
  hsa_id         TEXT,
  sort_order     INTEGER NOT NULL DEFAULT 0,
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version        INTEGER NOT NULL DEFAULT 1,
  remote_id      TEXT,
  remote_version TEXT,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT,
  CHECK (kind <> 'clinician' OR profession IS NOT NULL)
) STRICT;
CREATE INDEX resources_by_unit ON resources(unit_id, sort_order);

CREATE TABLE appointment_types (
  id               TEXT PRIMARY KEY,
  unit_id          TEXT NOT NULL REFERENCES units(id),
  code             TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
  name_sv          TEXT NOT NULL CHECK (length(name_sv) BETWEEN 1 AND 200),
  name_en          TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  duration_min     INTEGER NOT NULL CHECK (duration_min BETWEEN 5 AND 480),
  -- JSON array, subset of ["physical","video","phone"], at least one.
  contact_modes    TEXT NOT NULL CHECK (json_valid(contact_modes) AND json_array_length(contact_modes) >= 1),
  -- JSON array of profession codes allowed to perform the type; [] = any.
  professions      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(professions)),
  web_bookable     INTEGER NOT NULL DEFAULT 0 CHECK (web_bookable IN (0, 1)),
  invitation_only  INTEGER NOT NULL DEFAULT 0 CHECK (invitation_only IN (0, 1)),
  web_cancellable  INTEGER NOT NULL DEFAULT 0 CHECK (web_cancellable IN (0, 1)),
  web_rebookable   INTEGER NOT NULL DEFAULT 0 CHECK (web_rebookable IN (0, 1)),
  cancel_cutoff_h  INTEGER NOT NULL DEFAULT 24 CHECK (cancel_cutoff_h BETWEEN 0 AND 8760),
  rebook_cutoff_h  INTEGER NOT NULL DEFAULT 24 CHECK (rebook_cutoff_h BETWEEN 0 AND 8760),
  reason_new       TEXT NOT NULL DEFAULT 'optional' CHECK (reason_new IN ('mandatory', 'optional', 'unsupported')),
  reason_cancel    TEXT NOT NULL DEFAULT 'optional' CHECK (reason_cancel IN ('mandatory', 'optional', 'unsupported')),
  reason_rebook    TEXT NOT NULL DEFAULT 'optional' CHECK (reason_rebook IN ('mandatory', 'optional', 'unsupported')),
  -- JSON array of {code, text_sv, text_en}
  reason_codes     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reason_codes)),
  book_min_lead_h  INTEGER NOT NULL DEFAULT 0 CHECK (book_min_lead_h BETWEEN 0 AND 8760),
  book_max_days    INTEGER NOT NULL DEFAULT 180 CHECK (book_max_days BETWEEN 1 AND 1095),
  colour           TEXT NOT NULL DEFAULT '#4a78b5' CHECK (colour GLOB '#[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]'),
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version          INTEGER NOT NULL DEFAULT 1,
  remote_id        TEXT,
  remote_version   TEXT,
  updated_at       INTEGER NOT NULL,
  updated_by       TEXT,
  UNIQUE (unit_id, code)
) STRICT;

CREATE TABLE schedule_templates (
  id                    TEXT PRIMARY KEY,
  resource_id           TEXT NOT NULL REFERENCES resources(id),
  name                  TEXT NOT NULL DEFAULT '',
  -- JSON array of ISO weekdays 1 (Monday) .. 7 (Sunday)
  weekdays              TEXT NOT NULL CHECK (json_valid(weekdays) AND json_array_length(weekdays) >= 1),
  every_n_weeks         INTEGER NOT NULL DEFAULT 1 CHECK (every_n_weeks BETWEEN 1 AND 52),
  valid_from            TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  valid_to              TEXT CHECK (valid_to IS NULL OR (valid_to GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND valid_to >= valid_from)),
  start_time            TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
  end_time              TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]' AND end_time > start_time),
  slot_min              INTEGER NOT NULL CHECK (slot_min BETWEEN 5 AND 480),
  appointment_type_ids  TEXT NOT NULL CHECK (json_valid(appointment_type_ids) AND json_array_length(appointment_type_ids) >= 1),
  publish_web           INTEGER NOT NULL DEFAULT 0 CHECK (publish_web IN (0, 1)),
  within_care_guarantee INTEGER NOT NULL DEFAULT 1 CHECK (within_care_guarantee IN (0, 1)),
  -- Skip Swedish public holidays (and the unit's closed eves) when expanding.
  skip_holidays         INTEGER NOT NULL DEFAULT 1 CHECK (skip_holidays IN (0, 1)),
  active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version               INTEGER NOT NULL DEFAULT 1,
  remote_id             TEXT,
  remote_version        TEXT,
  updated_at            INTEGER NOT NULL,
  updated_by            TEXT
) STRICT;
CREATE INDEX schedule_templates_by_resource ON schedule_templates(resource_id);

CREATE TABLE absences (
  id             TEXT PRIMARY KEY,
  resource_id    TEXT NOT NULL REFERENCES resources(id),
  start_at       INTEGER NOT NULL,
  end_at         INTEGER NOT NULL CHECK (end_at > start_at),
  reason         TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'withdrawn')),
  version        INTEGER NOT NULL DEFAULT 1,
  remote_id      TEXT,
  remote_version TEXT,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT
) STRICT;
CREATE INDEX absences_by_resource ON absences(resource_id, start_at);

CREATE TABLE slots (
  id                    TEXT PRIMARY KEY,
  resource_id           TEXT NOT NULL REFERENCES resources(id),
  start_at              INTEGER NOT NULL,
  end_at                INTEGER NOT NULL CHECK (end_at > start_at),
  -- JSON array of appointment type ids offered in the slot (mirrored in slot_types for search).
  appointment_type_ids  TEXT NOT NULL CHECK (json_valid(appointment_type_ids) AND json_array_length(appointment_type_ids) >= 1),
  -- removed = taken out of the schedule; kept (never hard-deleted) so the sync feed sees it.
  state                 TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'blocked', 'removed')),
  block_reason          TEXT,
  absence_id            TEXT REFERENCES absences(id),
  web_published         INTEGER NOT NULL DEFAULT 0 CHECK (web_published IN (0, 1)),
  within_care_guarantee INTEGER NOT NULL DEFAULT 1 CHECK (within_care_guarantee IN (0, 1)),
  template_id           TEXT REFERENCES schedule_templates(id),
  version               INTEGER NOT NULL DEFAULT 1,
  remote_id             TEXT,
  remote_version        TEXT,
  updated_at            INTEGER NOT NULL,
  updated_by            TEXT
) STRICT;
-- One live slot per resource and start: template expansion is idempotent through it.
CREATE UNIQUE INDEX slots_by_resource_start ON slots(resource_id, start_at) WHERE state <> 'removed';
CREATE INDEX slots_by_start ON slots(start_at);

-- Search index for "first free slot of type T": (type, start) -> slot. Kept in step with
-- slots.appointment_type_ids by the slot repository.
CREATE TABLE slot_types (
  appointment_type_id TEXT NOT NULL REFERENCES appointment_types(id),
  start_at            INTEGER NOT NULL,
  slot_id             TEXT NOT NULL REFERENCES slots(id),
  PRIMARY KEY (appointment_type_id, start_at, slot_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX slot_types_by_slot ON slot_types(slot_id);

CREATE TABLE patients (
  id                 TEXT PRIMARY KEY,
  -- Personnummer, samordningsnummer or reserve number, normalised to 12 digits (reserve: as given).
  identity_number    TEXT NOT NULL UNIQUE CHECK (length(identity_number) BETWEEN 10 AND 20),
  identity_kind      TEXT NOT NULL CHECK (identity_kind IN ('personnummer', 'samordningsnummer', 'reserve')),
  given_name         TEXT NOT NULL CHECK (length(given_name) BETWEEN 1 AND 200),
  family_name        TEXT NOT NULL CHECK (length(family_name) BETWEEN 1 AND 200),
  phone              TEXT,
  email              TEXT,
  address            TEXT,
  protected_identity INTEGER NOT NULL DEFAULT 0 CHECK (protected_identity IN (0, 1)),
  version            INTEGER NOT NULL DEFAULT 1,
  remote_id          TEXT,
  remote_version     TEXT,
  updated_at         INTEGER NOT NULL,
  updated_by         TEXT,
  CHECK (identity_kind = 'reserve' OR (length(identity_number) = 12 AND identity_number NOT GLOB '*[^0-9]*'))
) STRICT;
CREATE INDEX patients_by_family_name ON patients(family_name COLLATE NOCASE, given_name COLLATE NOCASE);

CREATE TABLE bookings (
  id                  TEXT PRIMARY KEY,
  slot_id             TEXT NOT NULL REFERENCES slots(id),
  patient_id          TEXT NOT NULL REFERENCES patients(id),
  appointment_type_id TEXT NOT NULL REFERENCES appointment_types(id),
  contact_mode        TEXT NOT NULL CHECK (contact_mode IN ('physical', 'video', 'phone')),
  -- preliminary = booked at the desk while offline, not yet confirmed by the central side.
  status              TEXT NOT NULL CHECK (status IN ('preliminary', 'booked', 'arrived', 'completed', 'cancelled', 'no_show', 'rebooked')),
  channel             TEXT NOT NULL CHECK (channel IN ('desk', 'phone', 'web')),
  note                TEXT NOT NULL DEFAULT '',
  rebooked_from       TEXT REFERENCES bookings(id),
  rebooked_to         TEXT REFERENCES bookings(id),
  reason_code         TEXT,
  reason_text         TEXT,
  created_at          INTEGER NOT NULL,
  created_by          TEXT,
  version             INTEGER NOT NULL DEFAULT 1,
  remote_id           TEXT,
  remote_version      TEXT,
  updated_at          INTEGER NOT NULL,
  updated_by          TEXT,
  CHECK (status <> 'rebooked' OR rebooked_to IS NOT NULL)
) STRICT;
-- A slot can hold at most one active booking: a double booking is impossible at the database level.
CREATE UNIQUE INDEX bookings_one_active_per_slot ON bookings(slot_id)
  WHERE status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show');
CREATE INDEX bookings_by_slot ON bookings(slot_id);
CREATE INDEX bookings_by_patient ON bookings(patient_id);

CREATE TABLE waitlist (
  id                  TEXT PRIMARY KEY,
  patient_id          TEXT NOT NULL REFERENCES patients(id),
  appointment_type_id TEXT NOT NULL REFERENCES appointment_types(id),
  resource_id         TEXT REFERENCES resources(id),
  profession          TEXT,
  earliest            TEXT CHECK (earliest IS NULL OR earliest GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  latest              TEXT CHECK (latest IS NULL OR latest GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  priority            INTEGER NOT NULL DEFAULT 0,
  state               TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'offered', 'booked', 'withdrawn')),
  created_at          INTEGER NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,
  remote_id           TEXT,
  remote_version      TEXT,
  updated_at          INTEGER NOT NULL,
  updated_by          TEXT
) STRICT;

CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  unit_id         TEXT REFERENCES units(id),
  username        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 1 AND 64),
  display_name    TEXT NOT NULL,
  password_hash   TEXT NOT NULL,
  -- JSON array, subset of ["receptionist","scheduler","admin"]
  roles           TEXT NOT NULL CHECK (json_valid(roles) AND json_array_length(roles) >= 1),
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users(id),
  token_hash   TEXT NOT NULL UNIQUE,
  workstation  TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ended_at     INTEGER
) STRICT;

-- Append-only access log (Patientdatalagen, HSLF-FS 2016:40), hash-chained row to row.
CREATE TABLE audit_events (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  at           INTEGER NOT NULL,
  action       TEXT NOT NULL CHECK (action IN ('read', 'change', 'print', 'export', 'login', 'logout')),
  unit_id      TEXT,
  user_id      TEXT,
  workstation  TEXT NOT NULL,
  patient_id   TEXT,
  entity       TEXT,
  entity_id    TEXT,
  detail       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_patient ON audit_events(patient_id, at);
CREATE INDEX audit_by_user ON audit_events(user_id, at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

-- Changes waiting to be pushed to the central booking API, written in the same transaction as
-- the change itself (no write without its sync record).
CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  entity          TEXT NOT NULL CHECK (entity IN ('unit', 'resource', 'appointment_type', 'schedule_template', 'slot', 'patient', 'booking', 'absence')),
  entity_id       TEXT NOT NULL,
  op              TEXT NOT NULL CHECK (op IN ('create', 'update')),
  payload         TEXT NOT NULL CHECK (json_valid(payload)),
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_pending ON outbox(state, seq);

CREATE TABLE sync_state (
  feed       TEXT PRIMARY KEY,
  cursor     TEXT,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE conflicts (
  id          TEXT PRIMARY KEY,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('slot_taken', 'stale_version', 'rejected')),
  detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  suggested   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(suggested)),
  created_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  resolved_by TEXT,
  resolution  TEXT
) STRICT;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;
