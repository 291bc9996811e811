import { expect } from 'chai';
import mongoose from 'mongoose';
import { mongoServer, mongoUri } from './support/mongoServer';

describe('spec support: MongoDB-speaking server', function () {
  this.timeout(180_000);

  it('answers a real round trip and names itself', async () => {
    const server = await mongoServer();
    expect(server.description).to.match(/buildInfo version \d+\.\d+/);
    const conn = await mongoose.createConnection(await mongoUri('tripwire_smoke')).asPromise();
    try {
      const col = conn.collection('smoke');
      await col.deleteMany({});
      await col.insertOne({ _id: 'x' as never, n: 1 });
      expect(await col.findOne({ _id: 'x' as never })).to.deep.equal({ _id: 'x', n: 1 });
    } finally {
      await conn.close();
    }
  });
});
