-- tidbok: rebuilds tables (foreign keys off while it runs, checked before its commit)
-- Scheduling (issue 3): same-day types, "dagens tider" / akuttider: book_max_days = 0 means
-- bookable today only (until the start minus the minimum lead). 0001's CHECK said 1..1095 and
-- SQLite cannot alter a CHECK, so appointment_types is rebuilt with the same columns in the same
-- order (no other migration altered it; it has no indexes, triggers or views of its own beyond its
-- keys), its rows copied as they are. Children (bookings, templates' type lists, waitlist) keep
-- their ids: the rebuilt table has the same name and primary keys.
CREATE TABLE appointment_types_new (
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
  book_max_days    INTEGER NOT NULL DEFAULT 180 CHECK (book_max_days BETWEEN 0 AND 1095),
  colour           TEXT NOT NULL DEFAULT '#4a78b5' CHECK (colour GLOB '#[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]'),
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version          INTEGER NOT NULL DEFAULT 1,
  remote_id        TEXT,
  remote_version   TEXT,
  updated_at       INTEGER NOT NULL,
  updated_by       TEXT,
  UNIQUE (unit_id, code)
) STRICT;

INSERT INTO appointment_types_new SELECT * FROM appointment_types;
DROP TABLE appointment_types;
ALTER TABLE appointment_types_new RENAME TO appointment_types;
