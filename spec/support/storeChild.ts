// A process that saves one report through MongoStore({ uri }) and does nothing else:
// it must exit by itself once the store's own connection has gone idle.
import { MongoStore } from '../../lib/stores/mongo/MongoStore';
import { silentLogger } from '../../lib/core/logger';
import { makeReport } from './reports';

const store = new MongoStore({ uri: process.env.STORE_CHILD_URI as string, logger: silentLogger });
store.save([makeReport({ fingerprint: 'child-exit' })]).then(
  ([outcome]) => console.log(`saved ${outcome.added}`),
  (err: unknown) => { console.log(`save failed: ${String(err)}`); process.exitCode = 1; },
);
