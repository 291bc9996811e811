import { expect } from 'chai';
import os from 'node:os';
import { serverHostname } from '../../lib/report/serverHostname';

describe('serverHostname', () => {
  it('asks the system once: every later report gets the first answer without another os.hostname() call', () => {
    const first = serverHostname();
    const systemCall = os.hostname;
    let calls = 0;
    os.hostname = () => {
      calls++;
      return 'renamed-meanwhile';
    };
    let later: string[];
    try {
      later = Array.from({ length: 3 }, () => serverHostname());
    } finally {
      os.hostname = systemCall;
    }
    expect(later).to.deep.equal([first, first, first]);
    expect(calls).to.equal(0);
  });
});
