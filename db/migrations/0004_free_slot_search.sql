-- Scheduling (issue 3): make "first free slot of type T" walk only bookable slots, and let
-- expansion find removed slots of a resource without scanning.
--
-- slot_types.bookable = the slot is open and holds no active booking. It is an accelerator, like
-- slot_types itself: free/booked stays derived from bookings, and the free-slot query still
-- checks the slot and its bookings. Triggers keep it in step for every writer (services, demo
-- seed, sync pull); a new slot_types row defaults to 1, which is right for a new open slot (a
-- row wrongly left at 1 only costs the search a step, never a wrong answer).
ALTER TABLE slot_types ADD COLUMN bookable INTEGER NOT NULL DEFAULT 1 CHECK (bookable IN (0, 1));

UPDATE slot_types SET
  bookable = (SELECT s.state = 'open' FROM slots s WHERE s.id = slot_types.slot_id)
    AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = slot_types.slot_id
                     AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show'));

-- The free-slot search reads this index in (type, start) order and stops after N rows.
CREATE INDEX slot_types_bookable ON slot_types(appointment_type_id, start_at) WHERE bookable = 1;

-- Removed slots are few; template expansion looks them up per resource so that a slot removed by
-- hand is not created again.
CREATE INDEX slots_removed_by_resource ON slots(resource_id, start_at) WHERE state = 'removed';

CREATE TRIGGER slot_types_bookable_on_slot AFTER UPDATE OF state ON slots
BEGIN
  UPDATE slot_types SET
    bookable = NEW.state = 'open'
      AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = NEW.id
                       AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show'))
  WHERE slot_id = NEW.id;
END;

CREATE TRIGGER slot_types_bookable_on_booking_insert AFTER INSERT ON bookings
WHEN NEW.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show')
BEGIN
  UPDATE slot_types SET bookable = 0 WHERE slot_id = NEW.slot_id AND bookable = 1;
END;

CREATE TRIGGER slot_types_bookable_on_booking_update AFTER UPDATE OF status, slot_id ON bookings
BEGIN
  UPDATE slot_types SET
    bookable = (SELECT s.state = 'open' FROM slots s WHERE s.id = slot_types.slot_id)
      AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = slot_types.slot_id
                       AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show'))
  WHERE slot_id IN (OLD.slot_id, NEW.slot_id);
END;

CREATE TRIGGER slot_types_bookable_on_booking_delete AFTER DELETE ON bookings
BEGIN
  UPDATE slot_types SET
    bookable = (SELECT s.state = 'open' FROM slots s WHERE s.id = slot_types.slot_id)
      AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = slot_types.slot_id
                       AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show'))
  WHERE slot_id = OLD.slot_id;
END;
