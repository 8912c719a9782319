import { asc, eq } from 'drizzle-orm';
import { resetSecondFactor } from '../../platform/auth/two-factor.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';
import { CliError, cliContext, parseOptions, withDatabase } from '../context.ts';
import type { CliCommand } from '../io.ts';

const USAGE = 'Usage: npx aftercare users reset-second-factor --email EMAIL\nRemoves the person’s authenticator app and recovery codes and signs them out; they set it up again when they next sign in.';

/**
 * Reset a person's second factor from the command line (issue 14, item 3): for the partnership's
 * only administrator when they have lost both their app and their recovery codes, so that no
 * other administrator can reset it. Whoever runs it has the database; it is audited as
 * "Command line", like every command.
 */
export const usersResetSecondFactor: CliCommand = async (args, io) => {
  try {
    await withDatabase(async (database, config) => {
      const { options } = parseOptions(args);
      if (typeof options.email !== 'string') throw new CliError(USAGE);
      const email = options.email.trim().toLowerCase();
      const rows = await database.db
        .select({ userId: appUser.id, displayName: appUser.displayName, partnershipId: appUser.partnershipId, org: organisation })
        .from(appUser)
        .innerJoin(membership, eq(membership.userId, appUser.id))
        .innerJoin(organisation, eq(organisation.id, membership.organisationId))
        .where(eq(appUser.email, email))
        .orderBy(asc(organisation.name));
      const found = rows[0];
      if (!found) throw new CliError(`No account with the email address ${email}.`);
      const ctx = cliContext(database, config, found.partnershipId, found.org);
      const reset = await resetSecondFactor(ctx, { userId: found.userId, displayName: found.displayName });
      io.stdout.write(
        reset
          ? `${found.displayName}’s second factor has been reset and they have been signed out. They will set up an authenticator app again when they next sign in.\n`
          : `${found.displayName} has no second factor to reset.\n`,
      );
    });
    return 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
};
