import type { Report } from '../../report/Report';
import { alertLine, reportSections } from './emailSections';

/** The plain-text report, as in Django's ExceptionReporter.get_traceback_text(). */
export function renderText(report: Report): string {
  const parts = [`${report.title}\n${alertLine(report)}`];
  for (const section of reportSections(report)) {
    const heading = section.heading ? `${section.heading}\n${'-'.repeat(section.heading.length)}\n` : '';
    const content = 'rows' in section
      ? section.rows.map(([label, value]) => `${label}: ${value}`).join('\n')
      : section.text;
    parts.push(heading + content);
  }
  return `${parts.join('\n\n')}\n`;
}
