// Deploy-aware regressions (issue 19, item 5): during a rolling deploy the old processes
// still throw the fixed error; those occurrences must not reopen the issue. Resolving
// records `resolvedIn` and the releases seen until then; an occurrence after the resolve
// is "from an old release" when its release is one of those, or, when its release and
// `resolvedIn` are both semver, older than `resolvedIn`. Anything else reopens the issue;
// so does any occurrence when releases are not known (the rule before releases).

export interface ResolveState {
  resolvedIn?: string | null;
  releasesAtResolve?: string[] | null;
}

export function isOldRelease(release: string | null | undefined, state: ResolveState): boolean {
  if (typeof release !== 'string' || release === '') return false;
  const before = state.releasesAtResolve ?? [];
  if (before.includes(release)) return true;
  const resolvedIn = state.resolvedIn;
  if (typeof resolvedIn !== 'string') return false;
  const a = semver(release);
  const b = semver(resolvedIn);
  return a !== null && b !== null && compareSemver(a, b) < 0;
}

type Semver = { core: [number, number, number]; pre: string[] };

// https://semver.org/#semantic-versioning-specification-semver, with an optional leading "v".
const SEMVER = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:-([0-9A-Za-z.-]{1,64}))?(?:\+[0-9A-Za-z.-]{1,64})?$/;

function semver(text: string): Semver | null {
  if (text.length > 160) return null;
  const match = SEMVER.exec(text);
  if (!match) return null;
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4] ? match[4].split('.') : [] };
}

function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i] - b.core[i];
  // A pre-release is older than its release (1.0.0-rc.1 < 1.0.0).
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const [x, y] = [a.pre[i], b.pre[i]];
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length - b.pre.length;
}
