import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, createClient } from '../../lib/client/client';
import { silentLogger } from '../../lib/core/logger';
import { deliverySettings, type DeliveryOptions } from '../../lib/delivery/deliveryOptions';
import type { Notifier } from '../../lib/contracts/notifier';
import type { Store } from '../../lib/contracts/store';
import type { Report } from '../../lib/report/Report';
import { makeReport } from '../support/reports';

class ClosingStore implements Store {
  saved: Report[] = [];
  closes = 0;
  async save(reports: Report[]) {
    this.saved.push(...reports);
    return reports.map((r) => ({ kind: r.kind, fingerprint: r.fingerprint, added: 1, count: null, isNew: true, regressed: false }));
  }
  async close() { this.closes++; }
}

class ClosingNotifier implements Notifier {
  received: Report[] = [];
  closes = 0;
  constructor(readonly name: string) {}
  async notify(report: Report) { this.received.push(report); }
  async close() { this.closes++; }
}

const outbox = () => ({ outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-client-')) });

describe('client', () => {
  it('closes its store and each notifier exactly once, however often close() is called', async () => {
    const store = new ClosingStore();
    const notifier = new ClosingNotifier('n');
    const client = createClient({ store, notifiers: [notifier], logger: silentLogger, delivery: outbox() });
    expect(client).to.be.instanceOf(Client);
    client.offer('error', 'g', () => makeReport({ fingerprint: 'g' }));
    await Promise.all([client.close(1000), client.close(1000)]);
    await client.close(1000);
    expect([store.closes, notifier.closes]).to.deep.equal([1, 1]);
    expect(store.saved).to.have.length(1);
  });

  it('routes per-kind notifiers, closing a notifier listed for both kinds once', async () => {
    const both = new ClosingNotifier('both');
    const errorsOnly = new ClosingNotifier('errors');
    const linksOnly = new ClosingNotifier('links');
    const client = createClient({ store: null, notifiers: { error: [both, errorsOnly], 'broken-link': [both, linksOnly] }, logger: silentLogger });
    expect(client.notifiers).to.deep.equal([both, errorsOnly, linksOnly]);
    client.accept(makeReport({ fingerprint: 'e' }));
    client.accept({ ...makeReport({ fingerprint: 'l' }), kind: 'broken-link' });
    await client.close(1000);
    expect(both.received.map((r) => r.kind).sort()).to.deep.equal(['broken-link', 'error']);
    expect(errorsOnly.received.map((r) => r.kind)).to.deep.equal(['error']);
    expect(linksOnly.received.map((r) => r.kind)).to.deep.equal(['broken-link']);
    expect([both.closes, errorsOnly.closes, linksOnly.closes]).to.deep.equal([1, 1, 1]);
  });

  it('runs the enrichment registered for a kind in the worker, and only for that kind', async () => {
    const store = new ClosingStore();
    const client = createClient({ store, notifiers: [], logger: silentLogger, delivery: outbox() });
    client.enrichReports('error', (report) => ({ ...report, title: `${report.title} (enriched)` }));
    client.accept(makeReport({ fingerprint: 'e', title: 'E' }));
    client.accept({ ...makeReport({ fingerprint: 'l', title: 'L' }), kind: 'broken-link' });
    await client.close(1000);
    expect(store.saved.map((r) => r.title).sort()).to.deep.equal(['E (enriched)', 'L']);
  });

  it('refuses bad configuration at startup, naming the fix, and leaves nothing it made open', () => {
    expect(() => createClient({ windowMS: 1 } as never)).to.throw(TypeError, /createClient: unknown option `windowMS`; did you mean `windowMs`\?/);
    expect(() => createClient({ store: null, notifiers: [], maxNewGroupsPerHour: { error: 0 } })).to.throw(RangeError, /^createClient: `maxNewGroupsPerHour` must be a positive integer \(new groups a kind may open per hour/);
    expect(() => createClient({ store: null, notifiers: [], maxNewGroupsPerHour: 1.5 })).to.throw(RangeError, /maxNewGroupsPerHour/);
    expect(() => createClient({ store: null, notifiers: [], delivery: { maxQueue: -1 } })).to.throw(RangeError, /maxQueue/);
    expect(() => createClient({ store: null, notifiers: { error: 'slack' as never } })).to.throw(TypeError, /notifiers.error` must be an array/);
    // A misspelt kind would otherwise leave both kinds to the environment's default notifiers.
    expect(() => createClient({ store: null, notifiers: { errors: [] } as never })).to.throw(TypeError, "createClient notifiers: unknown option `errors`; did you mean `error`? (known: error, broken-link)");
  });

  it('reads windowMs and maxNewGroupsPerHour with Delivery\'s rule: the same refusal, naming createClient', () => {
    for (const [option, value] of [['windowMs', 0], ['maxNewGroupsPerHour', { error: 1.5 }], ['windowMs', { errors: 5 }]] as const) {
      const refused = (make: () => unknown): Error => {
        try {
          make();
        } catch (err) {
          return err as Error;
        }
        throw new Error(`${option}: ${JSON.stringify(value)} accepted`);
      };
      const fromDelivery = refused(() => deliverySettings({ [option]: value } as DeliveryOptions));
      const fromClient = refused(() => createClient({ store: null, notifiers: [], [option]: value }));
      expect(fromClient.constructor).to.equal(fromDelivery.constructor);
      expect(fromClient.message).to.equal(fromDelivery.message.replace(/^Delivery/, 'createClient'));
    }
  });
});
