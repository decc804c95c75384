// Ids for the demo seed: UUIDv7-shaped but derived from the seed and the day, so two
// workstations seeded with the demo on the same day hold the same unit, slots, patients and
// bookings, and meet as one unit on a central (conditional creates on these ids merge them).
import { v7 as uuidv7 } from 'uuid';
import { seededRandom } from './prng.ts';

export function demoIds(seed: number, today: string): () => string {
  const rand = seededRandom(seed ^ Number(today.replaceAll('-', '')));
  const msecs = Date.parse(`${today}T00:00:00Z`);
  let seq = 0;
  return () => {
    const random = new Uint8Array(16);
    for (let i = 0; i < 16; i++) random[i] = Math.floor(rand() * 256);
    return uuidv7({ msecs, seq: seq++, random });
  };
}
