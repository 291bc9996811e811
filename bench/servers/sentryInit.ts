// Sentry must be initialised before Koa is loaded, so this module is imported first.
// No DSN: the SDK runs offline — events are still built and pass beforeSend, but no
// transport exists, so nothing leaves the machine.
import * as Sentry from '@sentry/node';

export const sentryEvents = { processed: 0 };

Sentry.init({
  dsn: undefined,
  beforeSend(event) {
    sentryEvents.processed += 1;
    return event;
  },
});

export { Sentry };
