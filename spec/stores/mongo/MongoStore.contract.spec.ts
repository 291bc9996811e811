import mongoose from 'mongoose';
import { storeContract } from '../storeContract';
import { MongoStore } from '../../../lib/stores/mongo/MongoStore';
import { silentLogger } from '../../../lib/core/logger';
import { mongoUri } from '../../support/mongoServer';

storeContract('MongoStore', async (clock) => {
  const uri = await mongoUri('tripwire_store_contract');
  const raw = await mongoose.createConnection(uri).asPromise();
  await raw.dropDatabase();
  await raw.close();
  return new MongoStore({ uri, logger: silentLogger, clock });
}, (store) => (store as MongoStore).close());
