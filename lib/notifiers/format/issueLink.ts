import type { Report } from '../../report/Report';

// What a link template may refer to, e.g. "https://errors.example.com/issues/{fingerprint}".
const PLACEHOLDERS = {
  fingerprint: (report: Report) => report.fingerprint,
  id: (report: Report) => report.id,
  kind: (report: Report) => report.kind,
  environment: (report: Report) => report.environment,
} as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Throws when a template is not an http(s) URL or names an unknown placeholder (a typo would yield dead links). */
export function checkLinkTemplate(template: unknown, owner: string): void {
  if (typeof template !== 'string' || !/^https?:\/\/[^/\s]/i.test(template)) {
    throw new TypeError(`${owner}: linkTemplate must be an http(s) URL template, e.g. "https://errors.example.com/issues/{fingerprint}"`);
  }
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!(name in PLACEHOLDERS)) {
      throw new TypeError(`${owner}: linkTemplate has an unknown placeholder {${name}}; use ${Object.keys(PLACEHOLDERS).map((p) => `{${p}}`).join(', ')}`);
    }
  }
}

/** The template with each placeholder replaced by the URL-encoded report value. */
export function issueUrl(template: string, report: Report): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    name in PLACEHOLDERS ? encodeURIComponent(PLACEHOLDERS[name as keyof typeof PLACEHOLDERS](report)) : whole,
  );
}
