// Writing to a Node stream with backpressure, so a large export never piles up in memory.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes a chunk; waits for 'drain' when the stream's buffer is full. */
export async function writeChunk(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Ends the stream and waits until everything has been flushed (or it failed). */
export async function endStream(out: Writable): Promise<void> {
  const finished = once(out, 'finish');
  out.end();
  await finished;
}
