-- Why the patient booked and why the booking was cancelled or moved are two facts (FHIR keeps them
-- apart too: Appointment.reasonCode and Appointment.cancelationReason). Until now one pair held the
-- visit's reason and a cancellation or rebooking overwrote it, so a receptionist calling back, the
-- clinician and Statistik lost why the patient came. The cancellation's or rebooking's reason now
-- has columns of its own (a rebooked booking is the old time given up for the new one).
ALTER TABLE bookings ADD COLUMN cancel_reason_code TEXT;
ALTER TABLE bookings ADD COLUMN cancel_reason_text TEXT;

-- A booking cancelled or moved before this version holds the cancellation's or rebooking's reason
-- in the visit's columns: it moves to its own; the visit's reason was overwritten and is unknown
-- (left empty rather than guessed). Not a change of the booking: no version, no outbox row (central
-- already holds it as the cancellation's reason).
UPDATE bookings
   SET cancel_reason_code = reason_code, cancel_reason_text = reason_text, reason_code = NULL, reason_text = NULL
 WHERE status IN ('cancelled', 'rebooked') AND (reason_code IS NOT NULL OR reason_text IS NOT NULL);
