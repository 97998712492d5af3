/** The report in four forms: the terminal, JSON, JUnit XML (for CI) and a self-contained HTML page. */
import type { CertifyReport, CheckResult } from './types.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export function terminalSummary(r: CertifyReport, color = false): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = [
    '',
    `inkasso-sandbox certify: ${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped (client ${r.clientId})`,
    '',
  ];
  for (const c of r.checks) {
    const mark = c.verdict === 'pass' ? paint(32, MARK.pass) : c.verdict === 'fail' ? paint(31, MARK.fail) : paint(33, MARK.skip);
    lines.push(`${mark}  ${c.id.padEnd(22)} ${c.title}`);
    if (c.verdict !== 'pass') {
      lines.push(`      ${c.message}`);
      for (const ev of c.evidence.slice(0, 4)) lines.push(`        - ${ev}`);
    }
  }
  lines.push('', r.summary.failed ? 'Not certified: fix the failed checks above.' : 'Every judged check passed.');
  return lines.join('\n');
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(r: CertifyReport): string {
  const seconds = ((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(3);
  const cases = r.checks.map((c) => {
    const head = `    <testcase classname="certify" name="${xml(`${c.id}: ${c.title}`)}" time="0">`;
    const evidence = c.evidence.length ? `\n      <system-out>${xml(c.evidence.join('\n'))}</system-out>` : '';
    if (c.verdict === 'fail')
      return (
        `${head}\n      <failure message="${xml(c.message)}" ` +
        `type="${xml(c.id)}">${xml(`${c.message}\n\nRule: ${c.rule}\n\n${c.evidence.join('\n')}`)}</failure>${evidence}\n    ` +
        `</testcase>`
      );
    if (c.verdict === 'skip') return `${head}\n      <skipped message="${xml(c.message)}"/>${evidence}\n    </testcase>`;
    return `${head}${evidence}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="inkasso-sandbox certify" tests="${r.checks.length}" failures="${r.summary.failed}" ` +
      `skipped="${r.summary.skipped}" time="${seconds}">`,
    `  <testsuite name="agency conformance" tests="${r.checks.length}" failures="${r.summary.failed}" skipped="${r.summary.skipped}" ` +
      `errors="0" time="${seconds}" timestamp="${r.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function checkRow(c: CheckResult): string {
  return `<tr class="${c.verdict}" id="check-${html(c.id)}">
  <td class="verdict">${MARK[c.verdict]}</td>
  <td><code>${html(c.id)}</code></td>
  <td><strong>${html(c.title)}</strong><p class="rule">${html(c.rule)}</p><p class="message">${html(c.message)}</p>${
    c.evidence.length
      ? `<details${c.verdict === 'fail' ? ' open' : ''}><summary>Evidence ` +
        `(${c.evidence.length})</summary><ul>${c.evidence.map((e) => `<li><code>${html(e)}</code></li>`).join('')}</ul></details>`
      : ''
  }</td>
</tr>`;
}

export function htmlReport(r: CertifyReport): string {
  const title = `Agency conformance: ${r.summary.failed ? `${r.summary.failed} failed` : 'all judged checks passed'}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
    max-width: 70rem; padding: 0 1rem; color: #1d232a; }
  h1 { font-size: 1.5rem; margin-bottom: .2rem; }
  .meta { color: #5b6570; margin-top: 0; }
  .totals span { display: inline-block; padding: .2rem .6rem; border-radius: .3rem; margin-right: .4rem; font-weight: 600; }
  .totals .pass, tr.pass .verdict { background: #e3f5e6; color: #17692a; }
  .totals .fail, tr.fail .verdict { background: #fde6e6; color: #a4161a; }
  .totals .skip, tr.skip .verdict { background: #fff4d6; color: #7a5a00; }
  table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
  td, th { border-bottom: 1px solid #e3e6ea; padding: .55rem .6rem; vertical-align: top; text-align: left; }
  td.verdict { font-weight: 700; width: 4rem; text-align: center; border-radius: .25rem; }
  .rule { color: #5b6570; margin: .3rem 0; }
  .message { margin: .3rem 0; }
  details ul { margin: .3rem 0; padding-left: 1.2rem; }
  code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
  ol.steps li { margin-bottom: .3rem; }
</style>
</head>
<body>
<h1>${html(title)}</h1>
<p class="meta">inkasso-sandbox certify · client <code>${html(r.clientId)}</code>
· ${html(r.sandboxUrl)} · ${html(r.startedAt)}${r.agencyCommand ? ` · agency <code>${html(r.agencyCommand)}</code>` : ''}</p>
<p class="totals"><span class="pass">${r.summary.passed} passed</span><span
class="fail">${r.summary.failed} failed</span><span class="skip">${r.summary.skipped} skipped</span></p>
<table>
<thead><tr><th>Verdict</th><th>Check</th><th>Rule, finding and evidence</th></tr></thead>
<tbody>
${r.checks.map(checkRow).join('\n')}
</tbody>
</table>
<h2>Timeline</h2>
<ol class="steps">
${r.steps
  .map(
    (s) =>
      `<li><strong>${html(s.name)}</strong>: ${html(s.description)}. ` +
      `Clock ${html(s.at)} → ${html(s.until)}; ${s.quiet ? 'quiet' : 'not quiet'} ` +
      `after ${(s.waitedMs / 1000).toFixed(1)} s, ${s.agencyCalls} agency call(s).</li>`,
  )
  .join('\n')}
</ol>
</body>
</html>
`;
}
