// One benchmark figure: {name, value, unit, target}. Targets come from DESIGN.md.
export interface Figure {
  name: string;
  value: number;
  unit: 'ms' | 'ratio' | 'mb' | 'count' | 'ops/s';
  target: { op: '<' | '>='; value: number } | null;
}

export type Report = (figure: Figure) => void;

/** p-th percentile (0..100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
