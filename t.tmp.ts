import { SafeReportFilter } from './lib/report/scrub/SafeReportFilter';
const f = new SafeReportFilter();
function time(s: string) { const t = process.hrtime.bigint(); for (let i = 0; i < 3; i++) f.cleanseText(s + i); return Number(process.hrtime.bigint() - t) / 3e6; }
for (const n of [2048, 8192, 32768]) {
  console.log(n, 'eyJ-', time('eyJ-'.repeat(n / 4)).toFixed(2), 'bs', time('"key' + '\\'.repeat(n)).toFixed(2), 'plain', time('a'.repeat(n)).toFixed(3));
}
