// The idiomatic composition: the README's five parts composed by hand with app.use, sharing
// one client that reports nowhere, as tripwire-none does. Measured beside tripwire-none in
// simultaneous pairs (phases/happyPairs.ts): what stack() adds to the same parts (a
// departure from the idiom in stack() would have to show its gain there).
import { bodyParser, brokenLinkReporter, createClient, errorReporter, requestContext, responseFormatter, silentLogger } from 'koa-tripwire';
import { benchApp, benchRouter, serve } from './serve';

const client = createClient({ store: null, notifiers: [], logger: silentLogger });
const app = benchApp();
app.use(requestContext());
app.use(responseFormatter());
app.use(errorReporter({ client }));
app.use(brokenLinkReporter({ client }));
app.use(bodyParser());
const router = benchRouter();
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'composed', { close: () => client.close(500) });
