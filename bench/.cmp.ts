import http from 'node:http';
import net from 'node:net';
import Koa from 'koa';
const A = require('/work/main/lib/report/buildErrorReport');
const Ao = require('/work/main/lib/report/options');
const B = require('../lib/report/buildErrorReport');
const Bo = require('../lib/report/options');
function ctx() {
  const app = new Koa();
  const req = new http.IncomingMessage(new net.Socket());
  req.method = 'POST'; req.url = '/api/orders/42?page=2&token=abc123';
  req.headers = { host: 'api.example.test', 'user-agent': 'Mozilla/5.0 (bench)', accept: 'application/json', authorization: 'Bearer abc.def.ghi', cookie: 'sid=s3cr3t; theme=dark', 'content-type': 'application/json' };
  const c = app.createContext(req, new http.ServerResponse(req));
  (c.request as any).body = { item: 'book', quantity: 2, password: 'hunter2' };
  c.state.requestId = 'rid';
  return c;
}
const c = ctx(); const e = new Error('boom 42');
const oa = Ao.reportOptions({ environment: 'b', release: null }), ob = Bo.reportOptions({ environment: 'b', release: null });
function min(f: () => void) { let best = Infinity; for (let r = 0; r < 30; r++) { const t = process.cpuUsage(); for (let i = 0; i < 1000; i++) f(); const u = process.cpuUsage(t); best = Math.min(best, (u.user + u.system) / 1000); } return best; }
for (let k = 0; k < 3; k++) console.log('main', min(() => A.buildErrorReport(e, c, oa)).toFixed(1), 'mine', min(() => B.buildErrorReport(e, c, ob)).toFixed(1));
