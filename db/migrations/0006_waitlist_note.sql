-- Återbudslistan (issue 3): the receptionist's note on an entry ("kan bara förmiddagar",
-- "ring efter 15"), and indexes for the two ways the list is read: by type and state (the
-- list page, a freed slot's matches) and by patient (one entry per patient and type).
-- Waitlist entries stay local: the central booking API (FHIR push) has no mapping for them.
ALTER TABLE waitlist ADD COLUMN note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000);

CREATE INDEX waitlist_by_type_state ON waitlist(appointment_type_id, state, priority, created_at);
CREATE INDEX waitlist_by_patient ON waitlist(patient_id, appointment_type_id);
