import { expect } from 'chai';
import { exception } from '../../../lib/dashboard/pages/frames';

const lib = (n: number) => ({ file: `/app/node_modules/axios/lib/f${n}.js`, line: n, column: 1, function: `f${n}`, inApp: false });
const app = (n: number) => ({ file: `/app/src/a${n}.ts`, line: n, column: 1, function: `a${n}`, inApp: true });

describe('dashboard frames', () => {
  it('folds each run of library frames into one line, keeps the app frames and a lone library frame open', () => {
    const html = exception({ type: 'AxiosError', message: 'failed', frames: [lib(1), lib(2), lib(3), app(4), lib(5), app(6)], stack: 'AxiosError: failed\n    at f1 (/app/node_modules/axios/lib/f1.js:1:1)' }, 'Exception').text;
    expect(html.match(/<li class="lib-run">/g)).to.have.length(1);
    expect(html).to.include('<summary>3 library frames</summary>');
    expect(html.indexOf('3 library frames')).to.be.lessThan(html.indexOf('a4'));
    expect(html).to.include('<li class="frame lib"><span class="fn mono">f5</span>');
    expect(html).to.include('<details class="raw-stack"><summary>Raw stack</summary><pre>AxiosError: failed\n    at f1');
  });

  it('opens the raw stack when there are no parsed frames, and says when there is no stack at all', () => {
    expect(exception({ type: 'Error', message: 'x', frames: [], stack: 'Error: x' }, 'Exception').text).to.include('<details class="raw-stack" open>');
    expect(exception({ type: 'Error', message: 'x', frames: [], stack: null }, 'Exception').text).to.include('No stack trace.');
  });
});
