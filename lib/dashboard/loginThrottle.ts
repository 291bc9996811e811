// Failed Basic logins, counted per client IP and in all over a fixed window: past the
// limit every login (the right one too) answers 429 until the window passes, so guessing
// costs a minute per 10 tries instead of thousands a second
// (https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks).
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';

interface Window {
  start: number;
  failures: number;
  logged: boolean;
}

/** Client IPs remembered at once; past it, windows that have passed are dropped, then the oldest. */
const MAX_TRACKED_IPS = 10_000;

export class LoginThrottle {
  private readonly byIp = new Map<string, Window>();
  private overall: Window = { start: 0, failures: 0, logged: false };

  constructor(
    private readonly limits: { perIp: number; overall: number; windowMs: number },
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Seconds to wait when this IP (or everyone) is over the limit, else 0. */
  retryAfter(ip: string): number {
    const now = this.clock.now();
    const waits = [this.blockedFor(this.byIp.get(ip), this.limits.perIp, now), this.blockedFor(this.overall, this.limits.overall, now)];
    return Math.max(...waits);
  }

  fail(ip: string): void {
    const now = this.clock.now();
    const own = this.current(this.byIp.get(ip), now);
    this.byIp.delete(ip);
    this.byIp.set(ip, own);
    this.trim(now);
    this.overall = this.current(this.overall, now);
    own.failures++;
    this.overall.failures++;
    // Logged once per window: a guessing run is one line, not one a try.
    if (own.failures >= this.limits.perIp && !own.logged) {
      own.logged = true;
      this.logger.warn('dashboard: failed logins throttled for a client', { ip, failures: own.failures, windowMs: this.limits.windowMs });
    }
    if (this.overall.failures >= this.limits.overall && !this.overall.logged) {
      this.overall.logged = true;
      this.logger.warn('dashboard: failed logins throttled for everyone', { failures: this.overall.failures, windowMs: this.limits.windowMs });
    }
  }

  private current(window: Window | undefined, now: number): Window {
    return window && now - window.start < this.limits.windowMs ? window : { start: now, failures: 0, logged: false };
  }

  private blockedFor(window: Window | undefined, limit: number, now: number): number {
    if (!window || window.failures < limit) return 0;
    const left = window.start + this.limits.windowMs - now;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  private trim(now: number): void {
    if (this.byIp.size <= MAX_TRACKED_IPS) return;
    // Oldest failure first (each failure moves its IP to the end): drop what has passed, then the oldest.
    for (const [ip, window] of this.byIp) {
      if (this.byIp.size <= MAX_TRACKED_IPS && now - window.start < this.limits.windowMs) break;
      this.byIp.delete(ip);
    }
  }
}
