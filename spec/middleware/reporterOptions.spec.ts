import { expect } from 'chai';
import { silentLogger } from '../../lib';
import { createClient } from '../../lib/client/client';
import { reporterDefaults, reporterParts } from '../../lib/middleware/reporterOptions';
import { RecordingNotifier } from '../support/recordingNotifier';

describe('reporterOptions', () => {
  it('declares every option both reporters take in one defaults object', () => {
    expect(Object.keys(reporterDefaults).sort()).to.deep.equal(
      ['client', 'delivery', 'environment', 'filter', 'fingerprint', 'getUser', 'limits', 'logger', 'maxNewGroupsPerHour', 'notifiers', 'release', 'store', 'windowMs'],
    );
  });

  it('without a client, makes one of the client-level options; the reporter owns it', async () => {
    const notifier = new RecordingNotifier();
    const { report, client, ownsClient } = reporterParts('errorReporter', 'error', { store: null, notifiers: [notifier], environment: 'staging', logger: silentLogger });
    expect(report.environment).to.equal('staging');
    expect(ownsClient).to.equal(true);
    expect(client.notifiers).to.deep.equal([notifier]);
    await client.close(1000);
    expect(notifier.closed).to.equal(true);
  });

  it('with a client, uses it and refuses client-level options, naming where they go', async () => {
    const client = createClient({ store: null, notifiers: [], logger: silentLogger });
    try {
      const parts = reporterParts('errorReporter', 'error', { client, release: null });
      expect(parts.client).to.equal(client);
      expect(parts.ownsClient).to.equal(false);
      expect(() => reporterParts('errorReporter', 'error', { client, store: null })).to.throw(TypeError, /`store` belongs to the client: pass it to createClient\(\)/);
      expect(() => reporterParts('errorReporter', 'error', { client: {} as never })).to.throw(TypeError, /made by createClient\(\)/);
    } finally {
      await client.close(1000);
    }
  });

  it('refuses a bad new-group budget at startup, naming the fix', () => {
    expect(() => reporterParts('errorReporter', 'error', { store: null, notifiers: [], maxNewGroupsPerHour: 0 })).to.throw(RangeError, /maxNewGroupsPerHour` must be a positive integer \(new groups a kind may open per hour before the rest is counted in its overflow group; default 500 for errors, 500 for broken links\)/);
  });
});
