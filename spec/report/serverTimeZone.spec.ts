import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MODULE = path.resolve(__dirname, '../../lib/report/serverTimeZone');

interface Zones {
  /** What the system itself names as the zone at start (undefined when it names none). */
  system?: string;
  first: string;
  /** What the system names once TZ was changed in the process, and what serverTimeZone() still answers. */
  systemAfter?: string;
  after: string;
}

/** A fresh process started with TZ=`zone` (the module reads the zone once per process), which then sets TZ=`changedTo`. */
async function zonesOfProcessIn(zone: string, changedTo = 'Europe/Paris'): Promise<Zones> {
  const script = `
    const system = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
    const { serverTimeZone } = require(${JSON.stringify(MODULE)});
    const zones = { system: system(), first: serverTimeZone() };
    process.env.TZ = ${JSON.stringify(changedTo)};
    console.log(JSON.stringify({ ...zones, systemAfter: system(), after: serverTimeZone() }));
  `;
  const { stdout } = await run(process.execPath, ['--require', 'tsx/cjs', '-e', script], { env: { ...process.env, TZ: zone } });
  return JSON.parse(stdout) as Zones;
}

describe('serverTimeZone', function () {
  // Each case starts a Node process with tsx.
  this.timeout(60_000);

  it("answers the IANA zone the server runs in, as TZ sets it, so report times read as the server's clock", async () => {
    for (const zone of ['Asia/Tokyo', 'America/St_Johns']) {
      expect((await zonesOfProcessIn(zone)).first, zone).to.equal(zone);
    }
  });

  it('keeps the zone it first read for the life of the process, though TZ changes later', async () => {
    const zones = await zonesOfProcessIn('Asia/Tokyo', 'Pacific/Chatham');
    expect(zones.systemAfter, 'the system itself did move').to.equal('Pacific/Chatham');
    expect(zones).to.include({ first: 'Asia/Tokyo', after: 'Asia/Tokyo' });
  });

  it('answers UTC when the system names no zone (TZ set to a zone that does not exist)', async () => {
    const zones = await zonesOfProcessIn('Nowhere/Atlantis');
    expect(zones.system, 'the system names no zone').to.equal(undefined);
    expect(zones.first).to.equal('UTC');
  });

  it('answers UTC when the system names a zone Intl then refuses (TZ set but empty: ICU says Etc/Unknown)', async () => {
    const zones = await zonesOfProcessIn('');
    expect(zones.system, 'the name the system gives').to.equal('Etc/Unknown');
    expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zones.system }), 'and Intl refuses').to.throw(RangeError);
    expect(zones.first).to.equal('UTC');
  });
});
