/** Statuspage's impact words, from firebell's severity: SEV1 is critical, SEV4 has none. */
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

export function impactOf(severity: number): Impact {
  if (severity <= 1) return 'critical';
  if (severity === 2) return 'major';
  if (severity === 3) return 'minor';
  return 'none';
}
