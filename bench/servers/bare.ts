// Plain Koa + @koa/router: the reference every ratio is taken against.
// The error path answers Koa's own text/plain 500.
import { benchApp, benchRouter, serve } from './serve';

const app = benchApp();
const router = benchRouter();
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'bare');
