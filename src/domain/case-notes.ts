/**
 * Case notes (issue 15, item 1): the kinds of note, when a note may still be edited, and the safe
 * formatting of its text. Pure: nothing here reads a clock or the database; the time is passed in.
 *
 * Sources:
 * - The types of entry and "date and time of the contact, not of typing" are the issue's own
 *   specification (issue 15, item 1), drawn from the practitioners' recording standards in the
 *   shared seeds (the partnership competency framework, domain "recording and information sharing").
 * - "Notes are never deleted; a correction is a new version with the reason; the old one stays
 *   visible": Records Management Code of Practice 2021 (NHSX, now NHS England), part 2, "Amending
 *   records": "the original entry must remain legible... the amendment should be signed, dated and
 *   the reason recorded". https://transform.england.nhs.uk/information-governance/guidance/records-management-code/
 * - The 24-hour window after finishing, before a note is locked, is the partnership's recording
 *   practice named in the issue: contemporaneous recording with a short window for the author to
 *   tidy a finished note; after it, only a correction with a reason.
 */

export const noteTypes = [
  'contact-with-person',
  'home-visit',
  'telephone',
  'contact-with-family-or-carer',
  'professional-contact',
  'mdt-discussion',
  'significant-event',
  'management-oversight',
  'supervision',
] as const;

export type NoteType = (typeof noteTypes)[number];

export const noteTypeLabels: Record<NoteType, string> = {
  'contact-with-person': 'Contact with the person',
  'home-visit': 'Home visit',
  telephone: 'Telephone call',
  'contact-with-family-or-carer': 'Contact with family or carer',
  'professional-contact': 'Professional contact',
  'mdt-discussion': 'MDT discussion',
  'significant-event': 'Significant event',
  'management-oversight': 'Management oversight',
  supervision: 'Supervision note about this person',
};

export function noteTypeLabel(type: string): string {
  return (noteTypeLabels as Record<string, string>)[type] ?? type;
}

/** What a note may be linked to: one of the person's plans, reviews, meetings or tasks. */
export const linkKinds = ['plan', 'review', 'meeting', 'task'] as const;
export type LinkKind = (typeof linkKinds)[number];
export const linkKindLabels: Record<LinkKind, string> = { plan: 'Aftercare plan', review: 'Review', meeting: 'Meeting', task: 'Task' };

/** A finished note stays open to its author's edits for this long; after it, only a correction. */
export const LOCK_AFTER_HOURS = 24;
const LOCK_AFTER_MS = LOCK_AFTER_HOURS * 60 * 60 * 1000;

export type NoteStatus = 'draft' | 'finished';

export type Editability =
  | { kind: 'draft' }
  | { kind: 'open'; lockedAt: Date }
  | { kind: 'locked'; lockedAt: Date };

/**
 * Whether a note can be edited now: a draft always; a finished note for 24 hours after it was
 * finished (up to, not including, the 24th hour); after that it is locked and only a correction (a
 * new version with a reason) changes it.
 */
export function editability(note: { status: NoteStatus; finishedAt: Date | null }, now: Date): Editability {
  if (note.status === 'draft' || note.finishedAt === null) return { kind: 'draft' };
  const lockedAt = new Date(note.finishedAt.getTime() + LOCK_AFTER_MS);
  return now.getTime() < lockedAt.getTime() ? { kind: 'open', lockedAt } : { kind: 'locked', lockedAt };
}

export function isEditable(note: { status: NoteStatus; finishedAt: Date | null }, now: Date): boolean {
  return editability(note, now).kind !== 'locked';
}

/* ---------- Safe formatting ---------- */

/**
 * The note's text is stored as typed (plain text). A tiny subset is read for display: a line
 * starting "# " is a heading, lines starting "- " make a bulleted list, blank lines separate
 * paragraphs. Nothing the user typed is ever passed through as HTML: the structure is parsed
 * from the text, every piece of text is escaped, and the HTML is built only from our own tags.
 */
export type NoteBlock = { kind: 'heading'; text: string } | { kind: 'list'; items: string[] } | { kind: 'paragraph'; lines: string[] };

export function parseNote(text: string): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  let current: NoteBlock | null = null;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      current = null;
      continue;
    }
    if (line.startsWith('# ')) {
      blocks.push({ kind: 'heading', text: line.slice(2).trim() });
      current = null;
    } else if (line.startsWith('- ')) {
      if (current?.kind !== 'list') {
        current = { kind: 'list', items: [] };
        blocks.push(current);
      }
      current.items.push(line.slice(2).trim());
    } else {
      if (current?.kind !== 'paragraph') {
        current = { kind: 'paragraph', lines: [] };
        blocks.push(current);
      }
      current.lines.push(line);
    }
  }
  return blocks;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => ESCAPES[c]!);
}

/** The note as HTML with GOV.UK classes, built only from the parsed structure, every text escaped. */
export function renderNote(text: string): string {
  return parseNote(text)
    .map((b) => {
      if (b.kind === 'heading') return `<h3 class="govuk-heading-s">${escapeHtml(b.text)}</h3>`;
      if (b.kind === 'list') return `<ul class="govuk-list govuk-list--bullet">${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
      return `<p class="govuk-body">${b.lines.map(escapeHtml).join('<br>')}</p>`;
    })
    .join('\n');
}

/* ---------- Dates and times ---------- */

const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true });

/** "4 December 2026, 2:30pm" in England's time (GMT or BST as it was then). */
export function noteDateTime(instant: Date): string {
  const p = Object.fromEntries(londonParts.formatToParts(instant).map((x) => [x.type, x.value]));
  const hour = Number(p.hour) === 0 ? 12 : Number(p.hour);
  return `${p.day} ${p.month} ${p.year}, ${hour}:${p.minute}${String(p.dayPeriod).toLowerCase()}`;
}

/**
 * A time as typed ("14:30", "2:30pm", "2pm", "9.15am") as "HH:MM" on the 24-hour clock, or null
 * if it is not a time of day.
 */
export function parseTimeOfDay(text: string): string | null {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const period = m[3]?.toLowerCase();
  if (m[2] === undefined && !period) return null;
  if (minute > 59) return null;
  if (period) {
    if (hour < 1 || hour > 12) return null;
    if (period === 'am' && hour === 12) hour = 0;
    if (period === 'pm' && hour !== 12) hour += 12;
  } else if (hour > 23) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** England's wall-clock helpers live with the other calendar rules. */
export { londonInstant, londonWallClock } from './calendar-date.ts';

/* ---------- Restricted notes ---------- */

/** Roles that see restricted notes unless the partnership chooses otherwise. */
export const DEFAULT_RESTRICTED_NOTE_ROLES = ['team-manager', 'senior-practitioner', 'quality-audit'] as const;
