/**
 * model-registry's job summary, from the report. Server values in it were checked (values.ts);
 * the model name's grammar (inputs.ts) has no backtick, `|` or line break; table cells are
 * escaped by markdownTable.
 */
import { markdownTable, statusEmoji } from '../../shared/summary.ts';
import type { GateCheck } from './gate.ts';
import type { RegistryReport } from './report.ts';

const num = (n: number | undefined): string =>
  n === undefined ? '—' : String(Number(n.toPrecision(6)));

function gateTable(report: RegistryReport): string {
  const champ = report.champion;
  const champHead = champ?.version ? `${champ.alias} (v${champ.version})` : 'champion';
  const rows = report.checks.map((c: GateCheck) => [
    `\`${c.metric}\``,
    num(c.candidate),
    num(c.champion),
    c.rule,
    `${statusEmoji(c.verdict === 'pass' ? 'success' : 'failure')} ${c.verdict}: ${c.why}`,
  ]);
  const none =
    champ && !champ.version ? `\n\nAlias \`${champ.alias}\` is not set: no champion to beat.` : '';
  return markdownTable(['metric', 'candidate', champHead, 'threshold', 'verdict'], rows) + none;
}

function versionLines(report: RegistryReport): string[] {
  const v = report.version;
  if (!v) return [];
  return [
    `- **version** ${v.version}`,
    `- **source** \`${v.source}\``,
    ...(v.runId ? [`- **run** \`${v.runId}\``] : []),
  ];
}

function aliasLines(report: RegistryReport): string[] {
  const a = report.alias;
  if (!a || a.after === undefined) return [];
  const from = a.before ? `version ${a.before}` : 'nowhere';
  const to = a.after ? `version ${a.after}` : 'nowhere (deleted)';
  const tags = Object.entries(report.tags ?? {}).map(([k, val]) => [`\`${k}\``, val]);
  return [
    `- **alias** \`${a.name}\`: ${from} → ${to}`,
    ...(tags.length ? ['', markdownTable(['tag', 'value'], tags)] : []),
  ];
}

export function registrySummary(report: RegistryReport): string {
  const { inputs } = report;
  const gated = report.passed !== undefined;
  const status = gated ? (report.passed ? 'success' : 'failure') : 'success';
  const gateWord = gated ? (report.passed ? ' — gate passed' : ' — gate failed') : '';
  return [
    `### ${statusEmoji(status)} model-registry: ${inputs.operation} \`${inputs.modelName}\`${gateWord}`,
    '',
    ...versionLines(report),
    ...aliasLines(report),
    ...(gated ? ['', gateTable(report)] : []),
    '',
  ].join('\n');
}
