import { buildErrorReport } from '../lib/report/buildErrorReport';
import { reportOptions } from '../lib/report/options';
import http from 'node:http'; import net from 'node:net'; import Koa from 'koa';
const req = new http.IncomingMessage(new net.Socket());
req.method = 'POST'; req.url = '/api/orders/42?page=2&token=abc123';
req.headers = { host: 'api.example.test', 'user-agent': 'Mozilla/5.0 (bench)', accept: 'application/json', authorization: 'Bearer abc.def.ghi', cookie: 'sid=s3cr3t; theme=dark', 'content-type': 'application/json' };
const ctx = new Koa().createContext(req, new http.ServerResponse(req));
(ctx.request as any).body = { item: 'book', quantity: 2, password: 'hunter2' };
ctx.state.requestId = 'rid';
const options = reportOptions({ environment: 'b', release: null });
const e = new Error('boom 42');
const N = Number(process.env.N ?? 100000);
let best = Infinity;
for (let r = 0; r < N / 1000; r++) { const t = process.hrtime.bigint(); for (let i = 0; i < 1000; i++) buildErrorReport(e, ctx, options); best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6); }
console.log('best µs', best.toFixed(1));
