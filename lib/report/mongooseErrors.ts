// mongoose's ValidationError and CastError repeat the rejected value in their message
// ("Validator failed for path `password` with value `hunter2`", 'Cast to Number failed
// for value "hunter2" (type string) at path "pin"') and so in their stack. The value of a
// path whose name is hidden is found here, by shape (no import of mongoose), so that
// its echoes can be masked wherever the error's text goes.

const MAX_PATHS = 50;

interface RejectedPath {
  path?: unknown;
  value?: unknown;
  stringValue?: unknown;
}

/** The rejected values (as text) of every hidden path of a mongoose error; empty for any other value. */
export function hiddenRejections(thrown: unknown, isHiddenKey: (key: string) => boolean): string[] {
  if (thrown === null || typeof thrown !== 'object') return [];
  const found: string[] = [];
  try {
    const err = thrown as { name?: unknown; errors?: unknown } & RejectedPath;
    if (err.name === 'CastError' || err.name === 'ValidatorError') collect(err, isHiddenKey, found);
    if (err.name === 'ValidationError' && err.errors !== null && typeof err.errors === 'object') {
      const paths = Object.keys(err.errors).slice(0, MAX_PATHS);
      for (const name of paths) {
        const item = (err.errors as Record<string, RejectedPath>)[name];
        if (isHiddenKey(name)) collectValue(item?.value, found);
        if (item && typeof item === 'object') collect(item, isHiddenKey, found);
      }
    }
  } catch {
    // A hostile errors object: whatever was found so far is still masked.
  }
  return found;
}

function collect(item: RejectedPath, isHiddenKey: (key: string) => boolean, found: string[]): void {
  if (typeof item.path !== 'string' || !isHiddenKey(item.path)) return;
  collectValue(item.value, found);
  if (typeof item.stringValue === 'string') found.push(item.stringValue);
  const reason = (item as { reason?: unknown }).reason;
  if (reason && typeof reason === 'object') collect(reason as RejectedPath, isHiddenKey, found);
}

function collectValue(value: unknown, found: string[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    found.push(String(value));
  }
}

/** `text` with every echo of the values replaced; quoted echoes always, bare ones when long enough to be unambiguous. */
export function maskEchoes(text: string, values: string[], substitute: string): string {
  let out = text;
  for (const value of values) {
    if (value === '') continue;
    for (const quoted of [`\`${value}\``, `"${value}"`, `'${value}'`]) {
      if (out.includes(quoted)) out = out.split(quoted).join(`${quoted[0]}${substitute}${quoted[0]}`);
    }
    if (value.length >= 4 && out.includes(value)) out = out.split(value).join(substitute);
  }
  return out;
}
