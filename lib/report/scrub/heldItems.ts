/**
 * `each` over the items a list holds, in order, at a cost linear in what it holds, not in its
 * length: a sparse list (a single item at index 1e8) would otherwise be walked, and copied,
 * slot by slot. Its empty slots are left out, counted in a last '[N empty items]'.
 */
export function mapHeldItems(list: unknown[], each: (item: unknown) => unknown): unknown[] {
  const copy: unknown[] = [];
  const length = list.length;
  for (let i = 0; i < length; i++) {
    const item = list[i];
    if (item === undefined && !(i in list)) return heldItemsFrom(i, list, each, copy);
    copy.push(each(item));
  }
  return copy;
}

function heldItemsFrom(hole: number, list: unknown[], each: (item: unknown) => unknown, copy: unknown[]): unknown[] {
  const length = list.length;
  // Object.keys gives a list's indices first, in order, then any other names it has.
  for (const key of Object.keys(list)) {
    const index = Number(key);
    if (String(index) !== key || index >= length) break;
    if (index > hole) copy.push(each(list[index]));
  }
  const empty = length - copy.length;
  if (empty > 0) copy.push(`[${empty} empty items]`);
  return copy;
}
