// Koa + koa-json-error, with the README's production setting (no stack in the body).
import jsonError from 'koa-json-error';
import { benchApp, benchRouter, serve } from './serve';

const app = benchApp();
const router = benchRouter();
app.use(jsonError({
  postFormat: (_err, body) => {
    const { stack: _stack, ...rest } = body;
    return rest;
  },
}));
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'koa-json-error');
