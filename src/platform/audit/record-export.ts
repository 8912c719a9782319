import type { DataDoor } from '../data/door.ts';

/**
 * A download of personal data (the register, a list) is itself audited: who, what they chose,
 * how many rows. Recorded through the door, like every other change.
 */
export async function recordExport(data: DataDoor, action: 'register.exported' | 'list.exported', after: Record<string, unknown>): Promise<void> {
  await data.transaction((_tx, audit) => audit.change({ action, subjectType: 'register', subjectId: null, after }));
}
