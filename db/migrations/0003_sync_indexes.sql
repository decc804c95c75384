-- Sync (issue 5): lookups by the central side's id when a pulled change is applied, and the
-- outbox by entity when a push settles every queued change of one entity at once.
CREATE INDEX slots_by_remote_id ON slots(remote_id) WHERE remote_id IS NOT NULL;
CREATE INDEX bookings_by_remote_id ON bookings(remote_id) WHERE remote_id IS NOT NULL;
CREATE INDEX patients_by_remote_id ON patients(remote_id) WHERE remote_id IS NOT NULL;
CREATE INDEX resources_by_remote_id ON resources(remote_id) WHERE remote_id IS NOT NULL;
CREATE INDEX outbox_by_entity ON outbox(entity_id, state);
CREATE INDEX conflicts_open ON conflicts(resolved_at, created_at);
