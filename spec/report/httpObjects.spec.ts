import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import { nodeHttpObjectLabel, RAW_HEADER_KEYS } from '../../lib/report/httpObjects';

describe('httpObjects', () => {
  it("labels Node's HTTP and socket objects instead of copying them", () => {
    const socket = new net.Socket();
    const agent = new http.Agent();
    const server = http.createServer();
    const request = new http.IncomingMessage(socket);
    try {
      expect(nodeHttpObjectLabel(socket)).to.equal('[Socket]');
      expect(nodeHttpObjectLabel(agent)).to.equal('[Agent]');
      expect(nodeHttpObjectLabel(server)).to.equal('[Server]');
      expect(nodeHttpObjectLabel(request)).to.equal('[IncomingMessage]');
      expect(nodeHttpObjectLabel(new http.ServerResponse(request))).to.equal('[ServerResponse]');
    } finally {
      socket.destroy();
      agent.destroy();
    }
  });

  it('answers null for anything else, and names the keys holding raw header text', () => {
    expect(nodeHttpObjectLabel({})).to.equal(null);
    expect(nodeHttpObjectLabel(new Error('x'))).to.equal(null);
    for (const key of ['_header', 'rawHeaders', 'rawTrailers']) expect(RAW_HEADER_KEYS.has(key)).to.equal(true);
    expect(RAW_HEADER_KEYS.has('headers')).to.equal(false);
  });
});
