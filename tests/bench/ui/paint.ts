// Shared by both bench pages: "painted" = the frame after the change has been produced.
export interface BenchApi {
  mount(): Promise<number>;
  next(): Promise<number>;
  /** Elements drawn for slots and bookings (sanity check that both drew the same data). */
  count(): number;
}

declare global {
  interface Window {
    bench?: BenchApi;
  }
}

export function afterPaint(): Promise<void> {
  return new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
}
