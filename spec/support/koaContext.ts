// A real Koa Context on Node's own request and response objects, for specs of helpers
// that read or set a context without a server round trip.
import http from 'node:http';
import net from 'node:net';
import Koa, { type Context } from 'koa';

export function koaContext(method = 'GET', url = '/'): Context {
  const req = new http.IncomingMessage(new net.Socket());
  req.method = method;
  req.url = url;
  const res = new http.ServerResponse(req);
  return new Koa().createContext(req, res) as Context;
}
