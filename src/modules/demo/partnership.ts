import type { Role } from '../../platform/access/actor.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { Db } from '../../platform/db/database.ts';
import { countPartnerships, insertMembership, insertOrganisation, insertPartnership, insertSeededEvent, insertTeam, insertUser } from './demo.queries.ts';

/**
 * A synthetic demonstration partnership. Every name, code and account here is invented:
 * organisation codes are outside the ranges real bodies use, and person data (added by
 * later capabilities) uses NHS numbers from the 999 test range only.
 */
export const DEMO_PASSWORD = 'demo-aftercare-117';

export const demoOrganisations = [
  { key: 'icb', type: 'icb', code: 'QZV', onsCode: 'E54000901', name: 'NHS Northvale and Southmere Integrated Care Board', isLead: true },
  { key: 'northvale', type: 'local-authority', code: 'E06000901', name: 'Northvale Council', isLead: false },
  { key: 'southmere', type: 'local-authority', code: 'E06000902', name: 'Southmere Borough Council', isLead: false },
  { key: 'eastbridge', type: 'local-authority', code: 'E08000903', name: 'Eastbridge City Council', isLead: false },
  { key: 'trust', type: 'nhs-trust', code: 'RZV', name: 'Northvale and Southmere Mental Health NHS Foundation Trust', isLead: false },
  { key: 'provider', type: 'other-provider', code: 'NZV01', name: 'Riverside Supported Living (independent provider)', isLead: false },
] as const;

type OrgKey = (typeof demoOrganisations)[number]['key'];

export const demoTeams: Array<{ org: OrgKey; name: string }> = [
  { org: 'northvale', name: 'Northvale Community Mental Health Team' },
  { org: 'northvale', name: 'Northvale Section 117 Review Team' },
  { org: 'southmere', name: 'Southmere Recovery Team' },
  { org: 'eastbridge', name: 'Eastbridge Mental Health Social Work Team' },
  { org: 'trust', name: 'Inpatient Discharge Liaison Team' },
];

export const demoUsers: Array<{ email: string; name: string; memberships: Array<{ org: OrgKey; roles: Role[] }> }> = [
  { email: 'practitioner@demo.aftercare.example', name: 'Sam Okafor', memberships: [{ org: 'northvale', roles: ['practitioner'] }] },
  { email: 'senior@demo.aftercare.example', name: 'Jo Lindqvist', memberships: [{ org: 'southmere', roles: ['senior-practitioner'] }] },
  { email: 'manager@demo.aftercare.example', name: 'Alex Mensah', memberships: [{ org: 'northvale', roles: ['team-manager'] }] },
  { email: 'commissioner@demo.aftercare.example', name: 'Morgan Price', memberships: [{ org: 'icb', roles: ['commissioner'] }] },
  {
    email: 'panel@demo.aftercare.example',
    name: 'Rowan Hughes',
    memberships: [
      { org: 'icb', roles: ['panel-member'] },
      { org: 'northvale', roles: ['panel-member'] },
    ],
  },
  { email: 'quality@demo.aftercare.example', name: 'Kit Adeyemi', memberships: [{ org: 'icb', roles: ['quality-audit'] }] },
  { email: 'admin@demo.aftercare.example', name: 'Charlie Novak', memberships: [{ org: 'icb', roles: ['administrator'] }] },
  { email: 'la-admin@demo.aftercare.example', name: 'Frankie Osei', memberships: [{ org: 'northvale', roles: ['administrator'] }] },
  { email: 'readonly@demo.aftercare.example', name: 'Dana Whitfield', memberships: [{ org: 'trust', roles: ['read-only'] }] },
  // Record the demo people's detentions and discharges (the trust) and their Eastbridge reviews.
  { email: 'trust@demo.aftercare.example', name: 'Lee Ashworth', memberships: [{ org: 'trust', roles: ['practitioner'] }] },
  { email: 'eastbridge@demo.aftercare.example', name: 'Robin Tiernan', memberships: [{ org: 'eastbridge', roles: ['practitioner'] }] },
];

/**
 * Synthetic contact details: telephone numbers from Ofcom's drama range (01632 960000–960999),
 * addresses in the fictional towns, email addresses in the demo domain.
 */
function demoContact(code: string, name: string): { contactPhone: string; contactEmail: string; contactAddress: string } {
  const index = demoOrganisations.findIndex((o) => o.code === code);
  return {
    contactPhone: `01632 960${String(100 + index * 11).padStart(3, '0')}`,
    contactEmail: `section117.${code.toLowerCase()}@demo.aftercare.example`,
    contactAddress: `${name}, Civic Offices, ${index + 1} Market Street, Northvale NV1 ${index + 1}AA`,
  };
}

export async function isEmpty(db: Db): Promise<boolean> {
  return (await countPartnerships(db)) === 0;
}

/**
 * Seeds the demo partnership in one transaction, audited as the system. Returns the partnership id.
 * It creates the partnership row itself, so there is no tenant yet: it writes through
 * demo.queries.ts on the raw transaction, not through the door (on purpose; see that file).
 */
export async function seedDemo(db: Db): Promise<string> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    const partnershipId = await insertPartnership(tx, 'Northvale and Southmere Section 117 Partnership');
    const orgs = new Map<OrgKey, string>();
    for (const o of demoOrganisations) {
      const id = await insertOrganisation(tx, { partnershipId, type: o.type, code: o.code, onsCode: 'onsCode' in o ? o.onsCode : null, name: o.name, isLead: o.isLead, ...demoContact(o.code, o.name) });
      orgs.set(o.key, id);
    }
    for (const t of demoTeams) await insertTeam(tx, { partnershipId, organisationId: orgs.get(t.org)!, name: t.name });
    for (const u of demoUsers) {
      const userId = await insertUser(tx, { partnershipId, email: u.email, displayName: u.name, passwordHash });
      for (const m of u.memberships) {
        await insertMembership(tx, { partnershipId, userId, organisationId: orgs.get(m.org)!, roles: m.roles });
      }
    }
    await insertSeededEvent(tx, partnershipId, { organisations: demoOrganisations.length, users: demoUsers.length, synthetic: true });
    return partnershipId;
  });
}
