/**
 * The annual case audit report (issue 7, item 3) as a tagged PDF (one document model rendered by
 * platform/documents/pdf.ts) and as an XLSX workbook (sheets Summary, Pillars, Teams, Cases,
 * Findings). Neither names the people audited: cases are numbered, so the report can go to boards
 * and commissioners. Every text cell of the workbook is made formula-safe (neutraliseFormula,
 * the register export's OWASP CSV-injection guard).
 */
import ExcelJS from 'exceljs';
import { auditAnswerLabels, formatChange, formatScore } from '../../domain/audit-score.ts';
import { h1, h2, inset, p, summary, table, type DocumentModel } from '../../platform/documents/model.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { longDate as formatLongDate } from '../documents/index.ts';
import { neutraliseFormula } from '../../platform/exports/table.ts';
import type { AuditDetail } from './audit.service.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const findingStatusLabels: Record<string, string> = { open: 'Open', done: 'Done', cancelled: 'Cancelled' };
export const caseStatusLabels: Record<string, string> = { 'not-started': 'Not started', 'in-progress': 'In progress', complete: 'Complete' };

export function reportFilename(detail: AuditDetail, format: 'pdf' | 'xlsx'): string {
  const slug = detail.audit.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'case-audit';
  return `${slug}-report.${format}`;
}

const date = (iso: string | null) => (iso ? formatLongDate(iso) : 'Not set');

export function buildReportModel(detail: AuditDetail, author: string): DocumentModel {
  const { audit, scores, findings } = detail;
  const previousName = detail.previous?.name ?? null;
  return {
    title: `${audit.name}: report`,
    language: 'en-GB',
    subject: 'Annual section 117 case audit',
    author,
    blocks: [
      h1(`${audit.name}: report`),
      summary([
        { key: 'Period', value: `${date(audit.periodStart)} to ${date(audit.periodEnd)}` },
        { key: 'Status', value: audit.status === 'complete' ? `Complete (${audit.completedAt ? formatLongDate(todayInLondon(audit.completedAt)) : ''})` : 'In progress' },
        { key: 'Cases complete', value: `${scores.completeCases} of ${detail.cases.length}` },
        { key: 'Sample', value: `${audit.sampleSize} requested, stratified by ${detail.stratifyLabel.toLowerCase()}, seed "${audit.seed}"` },
        { key: 'Overall score', value: formatScore(scores.overall) },
        { key: 'Compared with', value: previousName ? `${previousName} (overall ${formatScore(scores.previousOverall)})` : 'No previous audit' },
      ]),
      inset('A score is the percentage of applicable checklist items met, a partly met item counting half. Scores pool the items of every complete case.'),
      h2('Scores by pillar'),
      table(
        'Scores by pillar, with last year’s figure and the change',
        ['Pillar', 'Score', previousName ? `Last year (${previousName})` : 'Last year', 'Change'],
        scores.pillars.map((x) => [`${x.number}. ${x.name}${x.confirmedTitle ? '' : ' (suggested title)'}`, formatScore(x.score), formatScore(x.previous), formatChange(x.change)]),
        true,
      ),
      h2('Scores by team'),
      scores.teams.length ? table('Scores by team', ['Team', 'Cases', 'Score'], scores.teams.map((t) => [t.label, String(t.cases), formatScore(t.score)]), true) : p('No case is complete yet.'),
      h2('Scores by local authority'),
      scores.localAuthorities.length
        ? table('Scores by local authority', ['Local authority', 'Cases', 'Score'], scores.localAuthorities.map((t) => [t.label, String(t.cases), formatScore(t.score)]), true)
        : p('No case is complete yet.'),
      h2('Findings and actions'),
      findings.length
        ? table(
            'Findings and actions, with owners and due dates',
            ['Pillar', 'Finding', 'Action', 'Owner', 'Due', 'Status'],
            findings.map((f) => [
              `${f.pillar}${f.casePosition ? ` (case ${f.casePosition})` : ''}`,
              f.finding,
              f.action,
              f.ownerName ?? 'No owner',
              date(f.dueOn),
              findingStatusLabels[f.status] ?? f.status,
            ]),
          )
        : p('No findings recorded.'),
    ],
  };
}

type Cell = string | number | null;

function safe(value: Cell): Cell {
  return typeof value === 'string' ? neutraliseFormula(value) : value;
}

function addSheet(workbook: ExcelJS.Workbook, name: string, headers: string[], rows: Cell[][], widths: number[]): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = headers.map((header, i) => ({ header, key: `c${i}`, width: widths[i] ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(safe));
}

/** The workbook: scores are whole percentages (numbers), blank where there is no score. */
export async function buildReportXlsx(detail: AuditDetail, createdBy: string): Promise<Buffer> {
  const { audit, scores, findings, snapshot } = detail;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = neutraliseFormula(createdBy);
  workbook.title = neutraliseFormula(`${audit.name}: report`);
  workbook.created = new Date();
  addSheet(
    workbook,
    'Summary',
    ['Item', 'Value'],
    [
      ['Audit', audit.name],
      ['Period start', audit.periodStart],
      ['Period end', audit.periodEnd],
      ['Status', audit.status === 'complete' ? 'Complete' : 'In progress'],
      ['Cases sampled', detail.cases.length],
      ['Cases complete', scores.completeCases],
      ['Stratified by', detail.stratifyLabel],
      ['Seed', audit.seed],
      ['Overall score (%)', scores.overall],
      ['Compared with', detail.previous?.name ?? 'No previous audit'],
      ['Previous overall score (%)', scores.previousOverall],
    ],
    [28, 48],
  );
  addSheet(
    workbook,
    'Pillars',
    ['Pillar', 'Name', 'Title', 'Score (%)', 'Last year (%)', 'Change (points)'],
    scores.pillars.map((x) => [x.number, x.name, x.confirmedTitle ? 'Confirmed' : 'Inferred', x.score, x.previous, x.change]),
    [8, 60, 12, 12, 14, 16],
  );
  addSheet(
    workbook,
    'Teams',
    ['Group', 'Name', 'Cases complete', 'Score (%)'],
    [...scores.teams.map((t) => ['Team', t.label, t.cases, t.score] as Cell[]), ...scores.localAuthorities.map((t) => ['Local authority', t.label, t.cases, t.score] as Cell[])],
    [16, 40, 16, 12],
  );
  const itemHeaders = snapshot.items.map((i) => i.code);
  addSheet(
    workbook,
    'Cases',
    ['Case', 'Stratum', 'Local authority', 'Team', 'Status', 'Score (%)', ...itemHeaders],
    detail.cases.map((c) => {
      const answers = c.answers as Record<string, { answer?: keyof typeof auditAnswerLabels } | undefined>;
      return [
        c.position,
        c.stratumLabel,
        c.localAuthorityName,
        c.teamName,
        caseStatusLabels[c.status] ?? c.status,
        c.score,
        ...snapshot.items.map((i) => {
          const a = answers[i.id]?.answer;
          return a ? auditAnswerLabels[a] : null;
        }),
      ];
    }),
    [8, 40, 28, 28, 12, 10, ...itemHeaders.map(() => 12)],
  );
  addSheet(
    workbook,
    'Findings',
    ['Pillar', 'Case', 'Finding', 'Action', 'Owner', 'Due', 'Status', 'Competency domain'],
    findings.map((f) => [f.pillar, f.casePosition, f.finding, f.action, f.ownerName, f.dueOn, findingStatusLabels[f.status] ?? f.status, f.competencyLabel]),
    [8, 8, 48, 48, 24, 12, 12, 36],
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
