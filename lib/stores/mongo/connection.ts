import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../../core/logger';
import type { Clock, ClockTimer } from '../../core/clock';
import { messageOf } from '../../core/errors';

interface ConnectionSettings {
  uri?: string;
  connection?: Connection;
  serverSelectionTimeoutMS: number;
  idleCloseMs: number;
  logger: Logger;
  clock: Clock;
}

/**
 * The store's way to MongoDB. An app's own connection is used as it is and never
 * closed. A connection opened from `uri` is opened on first use, closed once it has been
 * idle for `idleCloseMs` (the driver's sockets and server monitors would otherwise keep
 * the process alive after the app has closed its server) and opened again on the next
 * use. A connection that failed to open is tried again on the next use.
 */
export class StoreConnection {
  readonly connection: Connection;
  private readonly owned: boolean;
  private active = 0;
  private open = false;
  private opening: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private idleTimer: ClockTimer | undefined;
  private stopped = false;

  constructor(private readonly settings: ConnectionSettings) {
    this.owned = !settings.connection;
    if (settings.connection) {
      this.connection = settings.connection;
      this.open = true;
    } else {
      this.connection = mongoose.createConnection();
      this.connection.on('error', (err: unknown) => settings.logger.warn('MongoDB connection error', { error: messageOf(err) }));
    }
  }

  /** Runs `work` on an open connection; the idle close waits until every such call has settled. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopped) throw new Error('MongoStore is closed');
    this.active++;
    this.settings.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    try {
      await this.ready();
      return await work();
    } finally {
      this.active--;
      if (this.active === 0 && this.owned && this.open && !this.stopped) {
        this.idleTimer = this.settings.clock.setTimeout(() => void this.closeIfIdle(), this.settings.idleCloseMs);
      }
    }
  }

  /** Whether the connection is open now (an owned one is closed while idle). */
  get isOpen(): boolean {
    return this.open && !this.closing;
  }

  /** Closes the connection only when the store opened it; the app's own stays open. */
  async close(): Promise<void> {
    this.stopped = true;
    this.settings.clock.clearTimeout(this.idleTimer);
    await this.opening;
    if (this.owned) await this.shut();
  }

  private async ready(): Promise<void> {
    if (this.closing) await this.closing;
    if (!this.open) this.opening ??= this.connect();
    await this.opening;
    if (!this.open) throw new Error('MongoDB is unreachable');
  }

  private async connect(): Promise<void> {
    try {
      // Commands fail at once while disconnected instead of queueing without bound:
      // delivery parks the batch in its outbox and retries.
      await this.connection.openUri(this.settings.uri as string, {
        bufferCommands: false, serverSelectionTimeoutMS: this.settings.serverSelectionTimeoutMS,
      });
      this.open = true;
    } catch (err) {
      this.settings.logger.warn('MongoDB is unreachable; reports wait in the outbox until it answers', { error: messageOf(err) });
      await this.connection.close().catch(() => {});
    } finally {
      this.opening = null;
    }
  }

  private async closeIfIdle(): Promise<void> {
    this.idleTimer = undefined;
    if (this.active > 0 || this.opening || this.stopped) return;
    await this.shut();
  }

  private shut(): Promise<void> {
    if (!this.open) return this.closing ?? Promise.resolve();
    this.open = false;
    this.closing ??= this.connection.close()
      .catch((err: unknown) => this.settings.logger.warn('closing the MongoDB connection failed', { error: messageOf(err) }))
      .finally(() => { this.closing = null; });
    return this.closing;
  }
}
