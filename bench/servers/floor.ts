// The hand-written floor (support/floorMiddleware.ts) as a server, for the happy path.
import { requestIdAndEnvelope } from '../support/floorMiddleware';
import { benchApp, benchRouter, serve } from './serve';

const app = benchApp();
app.use(requestIdAndEnvelope);
const router = benchRouter();
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'floor');
