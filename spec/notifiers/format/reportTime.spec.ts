import { expect } from 'chai';
import { formatReportTime } from '../../../lib/notifiers/format/reportTime';

describe('reportTime', () => {
  it('shows the server wall-clock time with its zone, and UTC', () => {
    expect(formatReportTime({ timestamp: '2025-03-01T13:05:09.000Z', timezone: 'Europe/Paris' }))
      .to.equal('2025-03-01 14:05:09 Europe/Paris (2025-03-01T13:05:09.000Z)');
    expect(formatReportTime({ timestamp: '2025-07-01T23:30:00.000Z', timezone: 'America/New_York' }))
      .to.equal('2025-07-01 19:30:00 America/New_York (2025-07-01T23:30:00.000Z)');
  });

  it('falls back to UTC for an unknown zone, and to the raw value for a bad timestamp', () => {
    expect(formatReportTime({ timestamp: '2025-03-01T13:05:09.000Z', timezone: 'Mars/Olympus' })).to.equal('2025-03-01T13:05:09.000Z (UTC)');
    expect(formatReportTime({ timestamp: 'yesterday', timezone: 'UTC' })).to.equal('yesterday');
  });
});
