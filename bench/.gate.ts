import { SafeReportFilter } from '../lib/report/SafeReportFilter';
const f = new SafeReportFilter();
const strings = ['application/json', 'Mozilla/5.0 (bench)', 'function', 'bench/.prof.ts', 'Module._compile', 'node:internal/modules/cjs/loader', 'inApp', 'message', 'api.example.test', '/api/orders/42?page=2&token=abc123', 'rid', '127.0.0.1'];
const gateI = /(?:API|TOKEN|KEY|SECRET|PASS|SIGNATURE|AUTH|COOKIE|SESSION|CSRF|XSRF|CREDENTIAL)|:\/\/|%|bearer|basic|(?:eyJ)|(?:[AS]IA|AKIA)|(?:PRIVATE KEY)|(?:gh[pousr]_|github_pat_)|(?:xox)|(?:[sr]k_live_)|(?:AIza)|(?:\d{4}[ -]?\d{4}[ -]?\d{4})/i;
const keysOnly = /API|TOKEN|KEY|SECRET|PASS|SIGNATURE|AUTH|COOKIE|SESSION|CSRF|XSRF|CREDENTIAL/i;
const old = /[@%="]|bearer|basic/i;
const cache = new Map<string, string>();
function time(name: string, fn: (s: string) => unknown) {
  let best = Infinity;
  for (let r = 0; r < 20; r++) { const t = process.hrtime.bigint(); for (let i = 0; i < 10000; i++) for (const s of strings) fn(s); best = Math.min(best, Number(process.hrtime.bigint() - t) / (10000 * strings.length)); }
  console.log(name, best.toFixed(1), 'ns/string');
}
time('gateI', (s) => gateI.test(s));
time('keysOnly', (s) => keysOnly.test(s));
time('old', (s) => old.test(s));
time('cleanseText', (s) => f.cleanseText(s));
time('map', (s) => { let v = cache.get(s); if (v === undefined) { v = f.cleanseText(s); cache.set(s, v); } return v; });
const cheap = /[=":%]|[Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc]|eyJ|[AS]IA|AKIA|PRIVATE KEY|gh[pousr]_|github_pat_|xox|[sr]k_live_|AIza|\d{4}[ -]?\d{4}[ -]?\d{4}/;
time('cheap', (s) => cheap.test(s));
const cheap2 = /[=":%]|[Bb]earer|[Bb]asic|BEARER|BASIC/;
time('cheap2', (s) => cheap2.test(s));
