/** One key per issue: a report kind and its fingerprint (NUL cannot occur in either). */
export function groupKey(kind: string, fingerprint: string): string {
  return `${kind}\u0000${fingerprint}`;
}
