-- Scheduling (issue 3): the free-slot search index moves onto the slots table itself, so that
-- expanding a year of templates writes one row per slot instead of one slot row plus one
-- slot_types row per offered type (with two more B-trees to keep in step). Measured on the
-- benchmark's year for 60 clinicians (364k slots): slot_types was ~40 % of expansion's writes.
--
-- slots.booked = the slot holds an active booking. Like slot_types.bookable before it, it is an
-- accelerator kept by triggers for every writer (services, demo seed, sync pull); bookings stay
-- the truth and the free-slot query still checks them.
--
-- slots_free indexes open, unbooked slots by their type list (the JSON text, as written) and
-- start. "First free slot of type T" finds the distinct type lists that contain T by skipping
-- through this index (one seek per distinct list: a unit has tens of them, one per template
-- mix), then walks each list's slots in time order and merges (services/free-slots.ts).
ALTER TABLE slots ADD COLUMN booked INTEGER NOT NULL DEFAULT 0 CHECK (booked IN (0, 1));

UPDATE slots SET booked = 1
 WHERE id IN (SELECT slot_id FROM bookings WHERE status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show'));

CREATE INDEX slots_free ON slots(appointment_type_ids, start_at) WHERE state = 'open' AND booked = 0;

DROP TRIGGER slot_types_bookable_on_slot;
DROP TRIGGER slot_types_bookable_on_booking_insert;
DROP TRIGGER slot_types_bookable_on_booking_update;
DROP TRIGGER slot_types_bookable_on_booking_delete;
DROP TABLE slot_types;

CREATE TRIGGER slots_booked_on_booking_insert AFTER INSERT ON bookings
WHEN NEW.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show')
BEGIN
  UPDATE slots SET booked = 1 WHERE id = NEW.slot_id AND booked = 0;
END;

CREATE TRIGGER slots_booked_on_booking_update AFTER UPDATE OF status, slot_id ON bookings
BEGIN
  UPDATE slots SET
    booked = EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = slots.id
                      AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show'))
  WHERE id IN (OLD.slot_id, NEW.slot_id);
END;

CREATE TRIGGER slots_booked_on_booking_delete AFTER DELETE ON bookings
BEGIN
  UPDATE slots SET
    booked = EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = slots.id
                      AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show'))
  WHERE id = OLD.slot_id;
END;
