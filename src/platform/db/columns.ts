import { integer, timestamp } from 'drizzle-orm/pg-core';

/** Columns every editable table has: when it was created and changed, and its version for optimistic concurrency. */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const version = () => integer('version').notNull().default(1);
