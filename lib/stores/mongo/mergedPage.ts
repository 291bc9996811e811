// A page of two sorted collections (issues and broken links) listed as one, read without
// reading what comes before it: the split of the first `offset` items between the two
// is found by a binary search (the k-th element of two sorted lists), each step reading
// one sort key, then each list is read from its side of the split, one page plus one.
// So page 200 costs about 2 × log2(offset) one-document reads, not 2 × 10,000 documents.
import type { mongo } from 'mongoose';
import type { IssueSort } from '../../contracts/issueStore';
import type { GroupDoc } from './schemas';

type Groups = mongo.Collection<GroupDoc>;
export interface Side {
  groups: Groups;
  filter: Record<string, unknown>;
  projection: Record<string, 0 | 1>;
}
interface Key {
  value: number;
  _id: string;
}

/** The page's documents of each side, each list in the listing's order, at most `perPage + 1` of each. */
export async function mergedPage(a: Side, b: Side, sort: IssueSort, offset: number, perPage: number): Promise<[GroupDoc[], GroupDoc[]]> {
  const order = { [sort]: -1, _id: 1 } as const;
  const split = offset === 0 ? 0 : await splitAt(a, b, sort, order, offset);
  const read = (side: Side, skip: number) => side.groups.find(side.filter, { projection: side.projection }).sort(order).skip(skip).limit(perPage + 1).toArray();
  return Promise.all([read(a, split), read(b, offset - split)]);
}

/** How many of the first `k` items of the merged listing come from `a`. */
async function splitAt(a: Side, b: Side, sort: IssueSort, order: Record<string, 1 | -1>, k: number): Promise<number> {
  const [countA, countB] = await Promise.all([a, b].map((side) => side.groups.countDocuments(side.filter, { limit: k })));
  const cache = new Map<string, Key>();
  const keyAt = async (side: Side, name: string, index: number): Promise<Key> => {
    const cached = cache.get(`${name}${index}`);
    if (cached) return cached;
    const [doc] = await side.groups.find(side.filter, { projection: { [sort]: 1 } }).sort(order).skip(index).limit(1).toArray();
    const key = { value: valueOf(doc?.[sort as keyof GroupDoc]), _id: String(doc?._id ?? '') };
    cache.set(`${name}${index}`, key);
    return key;
  };
  let lo = Math.max(0, k - countB);
  let hi = Math.min(k, countA);
  while (lo < hi) {
    const i = Math.floor((lo + hi) / 2);
    // Too few from a: a[i] comes before b[k - i - 1], so a[i] belongs in the first k.
    if (before(await keyAt(a, 'a', i), await keyAt(b, 'b', k - i - 1))) lo = i + 1;
    else hi = i;
  }
  return lo;
}

function before(x: Key, y: Key): boolean {
  return x.value !== y.value ? x.value > y.value : x._id < y._id;
}

function valueOf(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}
