// The public API, pinned: every name each entry exports (values and types), read by the
// real TypeScript compiler. A name added or removed fails here, so growing the API is a
// decision made in this file, not a side effect (issue 21, item 7).
import { expect } from 'chai';
import path from 'node:path';
import ts from 'typescript';

const root = path.join(__dirname, '..');

const MAIN = [
  // values
  'stack', 'createClient', 'Client', 'requestContext', 'responseFormatter', 'formatResponse', 'rawResponse', 'bodyParser', 'errorReporter',
  'brokenLinkReporter', 'sensitivePostParameters', 'dashboard', 'MongoStore', 'MemoryStore', 'SlackNotifier', 'EmailNotifier',
  'ConsoleNotifier', 'silentLogger',
  // types
  'Stack', 'StackOptions', 'RequestContextOptions', 'ResponseFormatterOptions', 'BodyParserOptions', 'ErrorReporterOptions',
  'BrokenLinkReporterOptions', 'DashboardOptions', 'MongoStoreOptions', 'SlackNotifierOptions', 'EmailNotifierOptions',
  'Logger', 'Report', 'Notifier', 'Store',
];

const ADVANCED = [
  // store and notifier authors: the ports
  'Store', 'GroupOutcome', 'SavePolicy', 'AlertLedger', 'AlertClaim', 'DigestClaim', 'AlertVerdict', 'Notifier',
  'IssueStore', 'IssueQuery', 'IssuePage', 'IssueSummary', 'IssueSort', 'IssueStatus', 'SnoozeOptions', 'StatusChange',
  'ActivityEntry', 'IssueBreakdowns', 'FilterValues', 'GroupingInfo', 'StoredEventView', 'EventPage', 'HistogramBucket',
  'PermanentStoreError', 'isPermanentStoreError',
  // the report and its builders
  'Report', 'ReportKind', 'ErrorInfo', 'RequestInfo', 'StackFrame', 'SourceContext', 'HttpClientInfo', 'BrokenLinkInfo',
  'ReportUser', 'AlertInfo', 'buildErrorReport', 'buildBrokenLinkReport', 'brokenLinkText', 'reportOptions', 'defaultLimits',
  'ReportOptions', 'ReportOptionsInput', 'ReportLimits', 'SafeReportFilter', 'SafeReportFilterOptions',
  'DEFAULT_SECRET_PATTERNS', 'SecretPattern', 'sourceContext', 'SourceContextOptions', 'formatFrame', 'topFrame', 'upstreamTitle',
  // the envelope and the middleware's parts
  'successEnvelope', 'failureEnvelope', 'Envelope', 'UpstreamErrors', 'SENSITIVE_POST_PARAMETERS', 'ErrorReporter',
  'BrokenLinkReporter', 'COMMON_IGNORABLE_404_URLS', 'judgeBrokenLink', 'BrokenLinkRuleOptions',
  // delivery and the notifiers' formats
  'Delivery', 'DeliveryOptions', 'DeliveryStats', 'MemoryLedger', 'notifierFilter', 'NotifierFilterOptions', 'slackMessage',
  'SlackNotifierStats', 'renderText', 'renderHtml', 'EmailNotifierStats', 'ConsoleNotifierOptions', 'AlertSummary',
  'consoleLogger', 'realClock', 'Clock', 'AuthCheck', 'BasicCredentials', 'ClientOptions', 'MemoryStoreOptions',
];

interface Exported {
  all: string[];
  /** The names that exist at run time (functions, classes, constants), not types only. */
  values: string[];
}

/** Every name a module exports, as the compiler sees it (values, types, classes). */
function exportsOf(files: string[]): Map<string, Exported> {
  const program = ts.createProgram(files, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true, types: ['node'] });
  const checker = program.getTypeChecker();
  return new Map(files.map((file) => {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    const exported = checker.getExportsOfModule(symbol);
    const isValue = (s: ts.Symbol) => ((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value) !== 0;
    return [file, { all: exported.map((s) => s.getName()), values: exported.filter(isValue).map((s) => s.getName()) }];
  }));
}

describe('exports', function () {
  this.timeout(120_000);
  const main = path.join(root, 'lib/index.ts');
  const advanced = path.join(root, 'lib/advanced.ts');
  let names: Map<string, Exported>;
  before(() => { names = exportsOf([main, advanced]); });

  it('the main entry exports exactly what the README teaches (at most ~30 names)', () => {
    expect([...names.get(main)!.all].sort()).to.deep.equal([...MAIN].sort());
    expect(MAIN.length).to.be.at.most(33);
  });

  it('koa-tripwire/advanced exports exactly the authors\' names', () => {
    expect([...names.get(advanced)!.all].sort()).to.deep.equal([...ADVANCED].sort());
  });

  it('at run time each entry has exactly the values the compiler declares', () => {
    const runtime = (file: string) => Object.keys(require(file) as object).filter((n) => n !== '__esModule').sort();
    expect(runtime(main)).to.deep.equal([...names.get(main)!.values].sort());
    expect(runtime(advanced)).to.deep.equal([...names.get(advanced)!.values].sort());
    expect(names.get(main)!.values).to.have.length(18);
  });
});
