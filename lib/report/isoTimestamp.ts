// A report's time as Date#toISOString() writes it ("2026-12-02T01:00:07.123Z"), for less:
// toISOString formats the whole date on every call (about 0.6 µs, a tenth of a report's
// build here), while reports come many to a second. The text up to the seconds is made
// once per second and the milliseconds appended.

const MAX_TIME = 8.64e15;
let second = NaN;
let prefix = '';

/** `new Date(ms).toISOString()`, by default for now. Throws RangeError for an invalid time, as toISOString does. */
export function isoTimestamp(time: number = Date.now()): string {
  // Outside Date's range (and NaN) toISOString throws its own RangeError.
  if (!(Math.abs(time) <= MAX_TIME)) return new Date(time).toISOString();
  // A Date drops a fraction of a millisecond towards zero (TimeClip).
  const ms = Math.trunc(time);
  const thisSecond = Math.floor(ms / 1000);
  const milliseconds = Math.floor(ms - thisSecond * 1000);
  if (thisSecond !== second) {
    // Every form toISOString writes (4-digit or ±6-digit years) ends in ".000Z" on a whole second.
    const whole = new Date(thisSecond * 1000).toISOString();
    prefix = whole.slice(0, whole.length - 4);
    second = thisSecond;
  }
  return prefix + (milliseconds < 10 ? '00' : milliseconds < 100 ? '0' : '') + milliseconds + 'Z';
}
