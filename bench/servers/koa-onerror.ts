// Koa + koa-onerror (it replaces ctx.onerror; the bench asks for JSON with Accept).
import { onerror } from 'koa-onerror';
import { benchApp, benchRouter, serve } from './serve';

const app = benchApp();
onerror(app);
const router = benchRouter();
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'koa-onerror');
