import type pg from 'pg';

/**
 * One person's long history for bench/chronology.ts: about `total` chronology entries across seven
 * sources, written with generate_series (seconds, not minutes). The shape of a long case record,
 * where contacts dominate: case notes 50% of entries (finished; one in ten significant, one in
 * twenty-five restricted), meetings 15%, information given 10%, documents produced about 10%,
 * tasks 9% of entries (a task completed gives two; few stay open), reviews held 5%, legal events
 * ("review held") 1%. Dates spread back from today, an entry every few hours.
 * When the database was reused from a kept run, the person's history is only counted.
 */
export async function longHistory(pool: pg.Pool, partnershipId: string, personId: string, total: number, reused: boolean): Promise<{ total: number; mix: string }> {
  const share = (part: number) => Math.max(1, Math.round(total * part));
  const notes = share(0.5);
  const tasksOpen = share(0.002);
  const tasksDone = share(0.048);
  const meetings = share(0.15);
  const events = share(0.01);
  const given = share(0.1);
  const reviews = share(0.05);
  const documents = Math.max(1, total - notes - tasksOpen - 2 * tasksDone - meetings - events - given - reviews);
  const mix = `${notes} case notes, ${tasksOpen + tasksDone} tasks (${tasksDone} completed), ${meetings} meetings, ${events} legal events, ${given} records of information given, ${reviews} reviews, ${documents} documents`;
  if (reused) return { total, mix: `${mix}; reused` };
  const p = [partnershipId, personId];
  await pool.query(
    `insert into case_note (partnership_id, person_id, type, contact_at, present, body, significant, restricted, restricted_reason, status, finished_at)
     select $1, $2, (array['home-visit', 'telephone', 'mdt-discussion'])[1 + g % 3], now() - make_interval(hours => g * 7), 'The person',
       'Note ' || g || ': seen at home; talked about sleep, medication and the plan. Next visit in a week.', g % 10 = 0, g % 25 = 0,
       case when g % 25 = 0 then 'Third-party information' end, 'finished', now() - make_interval(hours => g * 7)
     from generate_series(1, ${notes}) g`,
    p,
  );
  await pool.query(
    `insert into task (partnership_id, person_id, kind, title, detail, status, outcome, completed_at, created_at)
     select $1, $2, 'follow-up', 'Follow up visit ' || g, 'Check how the new support is going',
       case when g <= ${tasksDone} then 'done'::task_status else 'open'::task_status end,
       case when g <= ${tasksDone} then 'Visited; all well' end,
       case when g <= ${tasksDone} then now() - make_interval(hours => g * 11 - 5) end,
       now() - make_interval(hours => g * 11)
     from generate_series(1, ${tasksOpen + tasksDone}) g`,
    p,
  );
  await pool.query(
    `insert into meeting (partnership_id, person_id, kind, starts_at, location, decisions)
     select $1, $2, (array['mdt', 'review'])[1 + g % 2]::meeting_kind, now() - make_interval(hours => g * 13), 'Northvale Community Mental Health Team', 'Carry on with the plan'
     from generate_series(1, ${meetings}) g`,
    p,
  );
  await pool.query(
    `insert into legal_event (partnership_id, person_id, type, occurred_on, sequence, payload, source)
     select $1, $2, 'reviewed', (current_date - g * 3), 1000 + g, '{}'::jsonb, 'manual'
     from generate_series(1, ${events}) g`,
    p,
  );
  await pool.query(
    `insert into information_given (partnership_id, person_id, subject, given_on, format, in_writing, understood)
     select $1, $2, (array['rights-statement', 'plan', 'letter'])[1 + g % 3], (current_date - g * 2), 'standard', true, 'yes'
     from generate_series(1, ${given}) g`,
    p,
  );
  await pool.query(
    `insert into review (partnership_id, person_id, due_on, held_on, status, s117_still_applies, completed_at)
     select $1, $2, (current_date - g * 5), (current_date - g * 5), 'completed', true, now() - make_interval(days => g * 5)
     from generate_series(1, ${reviews}) g`,
    p,
  );
  await pool.query(
    `insert into person_document (partnership_id, person_id, kind, title, media_type, file_name, content, content_hash, size_bytes, created_at)
     select $1, $2, 'letter', 'Letter ' || g, 'application/pdf', 'letter-' || g || '.pdf', '\\x25504446'::bytea, repeat('0', 64), 4, now() - make_interval(hours => g * 17)
     from generate_series(1, ${documents}) g`,
    p,
  );
  await pool.query('analyze case_note, task, meeting, legal_event, information_given, review, person_document');
  return { total, mix };
}
