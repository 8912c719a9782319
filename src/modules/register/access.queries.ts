import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.ts';
import { relationshipScope, type Permission } from '../../platform/access/policy.ts';
import { person } from './schema.ts';

/**
 * The access policy's relationship scope as a WHERE clause on `person`. Every query that
 * returns people goes through `visiblePeople`, so a list can never show someone the actor
 * could not open. Nobody ever sees another partnership's people.
 */
export function visiblePeople(actor: Actor, permission: Permission = 'person:read'): SQL {
  const scope = relationshipScope(actor, permission);
  const tenant = eq(person.partnershipId, actor.partnershipId);
  if (scope.organisationIds.length === 0) return and(tenant, sql`false`)!;
  const codes = sql`array[${sql.join(scope.organisationCodes.map((c) => sql`${c}`), sql`, `)}]::text[]`;
  const ids = sql`array[${sql.join(scope.organisationIds.map((id) => sql`${id}`), sql`, `)}]::uuid[]`;
  return and(
    tenant,
    or(
      sql`${person.responsibleLocalAuthority} = any(${codes})`,
      sql`${person.responsibleIcb} = any(${codes})`,
      sql`${person.involvedOrganisations} && ${ids}`,
    ),
  )!;
}
