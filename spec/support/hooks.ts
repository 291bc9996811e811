// Root hooks, loaded before every spec file (see .mocharc.json "file").
import { stopMongoServer } from './mongoServer';

after(async function () {
  this.timeout(30_000);
  await stopMongoServer();
});
