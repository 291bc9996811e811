import type { Report } from '../../report/Report';
import { alertLine, reportSections } from './emailSections';

const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => HTML_ENTITY[char]);
}

const STYLE = [
  'body{font:14px/1.4 sans-serif;color:#222;margin:1em}',
  'h1{font-size:1.4em;margin:0 0 .2em}',
  'h2{font-size:1.1em;margin:1.2em 0 .3em;border-bottom:1px solid #ddd}',
  '.alert{color:#b00;margin:0}',
  'th{text-align:left;vertical-align:top;padding:2px 12px 2px 0;white-space:nowrap}',
  'td{font-family:monospace;white-space:pre-wrap;word-break:break-all}',
  'pre{background:#f6f6f6;padding:8px;overflow:auto}',
].join('');

/**
 * The HTML report, as in Django's ExceptionReporter.get_traceback_html(). Every value
 * is escaped: reports carry user input (paths, headers, messages) into a mail client.
 */
export function renderHtml(report: Report): string {
  const body = reportSections(report).map((section) => {
    const heading = section.heading ? `<h2>${escapeHtml(section.heading)}</h2>` : '';
    const content = 'rows' in section
      ? `<table>${section.rows.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`
      : `<pre>${escapeHtml(section.text)}</pre>`;
    return heading + content;
  });
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<p class="alert">${escapeHtml(alertLine(report))}</p>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}
