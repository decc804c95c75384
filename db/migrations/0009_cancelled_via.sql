-- Sync (issue 3): who cancelled a booking. The cut-offs apply to web and desk alike, but the
-- national contracts carry only the allowed-flags and the FHIR wire did not say who cancelled,
-- so a patient's late cancellation on 1177 could not be told from another desk's logged override.
-- A desk now sends the channel with its cancellation (Appointment extension `cancelled-via`) and
-- keeps it here; a pulled cancellation keeps what central said (none = the patient, 'web').
-- NULL: cancelled before this version, or by the unit's own sync decisions (sent as 'unit').
ALTER TABLE bookings ADD COLUMN cancelled_via TEXT CHECK (cancelled_via IN ('desk', 'phone', 'web', 'unit'));

-- A patient's web cancellation that broke the unit's rules stands (never un-cancelled) but goes to
-- Konflikter for the desk to follow up: a kind of its own. SQLite cannot widen a CHECK in place,
-- so the table is rebuilt with every row (nothing references it).
CREATE TABLE conflicts_new (
  id          TEXT PRIMARY KEY,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('slot_taken', 'stale_version', 'rejected', 'web_cancel')),
  detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  suggested   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(suggested)),
  created_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  resolved_by TEXT,
  resolution  TEXT
) STRICT;
INSERT INTO conflicts_new (id, entity, entity_id, kind, detail, suggested, created_at, resolved_at, resolved_by, resolution)
  SELECT id, entity, entity_id, kind, detail, suggested, created_at, resolved_at, resolved_by, resolution FROM conflicts;
DROP TABLE conflicts;
ALTER TABLE conflicts_new RENAME TO conflicts;
CREATE INDEX conflicts_open ON conflicts(resolved_at, created_at);
