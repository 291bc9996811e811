import type { AlertSummary } from '../../report/Report';
import { SUMMARY_NOTE, describeSummary, summaryLines } from '../format/alertSummary';
import { escapeHtml } from './emailHtml';

/** Subject and bodies of the one mail that stands for the alerts of one kind held back past the budget. */
export function emailSummary(summary: AlertSummary, prefix: string): { subject: string; text: string; html: string } {
  const headline = describeSummary(summary);
  const lines = summaryLines(summary);
  const heading = summary.kind === 'broken-link' ? 'Held back' : 'New issues held back';
  const text = [headline, '', ...(lines.length ? [`${heading}:`, ...lines.map((t) => `- ${t}`), ''] : []), SUMMARY_NOTE, ''].join('\n');
  const html = [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(headline)}</title></head><body>`,
    `<h1>${escapeHtml(headline)}</h1>`,
    lines.length ? `<h2>${heading}</h2><ul>${lines.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>` : '',
    `<p>${escapeHtml(SUMMARY_NOTE)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  // A title may carry CR/LF from a request path; the subject only has the headline.
  return { subject: `${prefix}${headline}`.replace(/[\r\n]+/g, ' '), text, html };
}
