import type { EventType } from '../../domain/rules/contract.ts';

/*
 * Legal events that belong to a workflow (docs/decisions/0007-legal-events-one-path.md).
 *
 * Some events carry out a decision that the law gives to more than one person or body: ending
 * section 117 needs both the local authority and the ICB to be satisfied (MHA 1983 s117(2);
 * R9, R11), a reinstatement undoes such a decision, and a dispute about responsibility is
 * opened and resolved with its parties, interim lead funder and clock (s117(4); Care Act 2014
 * s40; R24, R25). Their workflows record the event in the same transaction as their own record.
 * `applyEvents` refuses to record (or void) such an event unless the caller holds an authority
 * granted for its workflow. Authorities are objects minted here and remembered in a WeakSet,
 * so an object literal cannot pass for one; `grantWorkflowAuthority` may be imported only by the
 * workflows' own modules (events.architecture.test.ts enforces it; refusals are events.service.ts WorkflowOnlyEventError).
 */

export type Workflow = 'endings' | 'disputes' | 'demo-seed';

export interface WorkflowAuthority {
  readonly workflow: Workflow;
  /** What the authority was granted for: the ending proposal, the dispute, the demo seed run. */
  readonly reference: string;
}

const granted = new WeakSet<WorkflowAuthority>();

/**
 * Grant the authority to record a workflow's events. Only the workflow's own service calls this,
 * after its own checks (for an ending: both bodies approved, by two different people).
 * `demo-seed` is the demo partnership's fictional history (endings and disputes decided before
 * the demo begins); it is never reachable from a request.
 */
export function grantWorkflowAuthority(workflow: Workflow, reference: string): WorkflowAuthority {
  const authority = Object.freeze({ workflow, reference });
  granted.add(authority);
  return authority;
}

export function isGranted(authority: unknown, workflow: Exclude<Workflow, 'demo-seed'>): boolean {
  if (typeof authority !== 'object' || authority === null || !granted.has(authority as WorkflowAuthority)) return false;
  const held = (authority as WorkflowAuthority).workflow;
  return held === workflow || held === 'demo-seed';
}

export interface WorkflowOnlyEvent {
  readonly workflow: Exclude<Workflow, 'demo-seed'>;
  /** Why (for the decision record and the tests). */
  readonly why: string;
  /** What a person using the forms is told (GOV.UK error message). */
  readonly formMessage: string;
  /** What an API client is told, with the endpoint to use instead. */
  readonly apiDetail: (personId: string) => string;
  /** What a person trying to remove the event is told. */
  readonly removeMessage: string;
}

export const workflowOnlyEvents: Readonly<Partial<Record<EventType, WorkflowOnlyEvent>>> = {
  'aftercare-ended': {
    workflow: 'endings',
    why: 'Ending section 117 needs both the local authority and the ICB to be satisfied the person no longer needs aftercare (MHA 1983 s117(2); R9), with reasons, decision-makers and the person involved recorded (R11).',
    formMessage: 'Section 117 aftercare can only be ended by a joint decision of the local authority and the ICB. Use “Propose ending aftercare” on the person’s Ending aftercare page, so that both bodies can approve it',
    apiDetail: (personId) =>
      `A section 117 ending (aftercare-ended) can only be recorded by the endings workflow, after the local authority and the ICB have each approved it (two different people). Propose the ending with POST /api/v1/people/${personId}/endings; it is recorded when the second body approves it.`,
    removeMessage: 'A recorded ending can only be undone by a joint decision of the local authority and the ICB. Use “Propose reinstating aftercare” on the person’s Ending aftercare page',
  },
  'dispute-opened': {
    workflow: 'disputes',
    why: 'A dispute about who is responsible has parties, an interim lead funder and a four-month clock to a Secretary of State referral (s117(4); Care Act 2014 s40; R24, R25): it is opened with its dispute record, never as a bare event.',
    formMessage: 'A dispute can only be opened with its parties and interim lead funder. Use “Record a dispute about who is responsible” on the person’s page',
    apiDetail: (personId) => `A dispute (dispute-opened) can only be opened with its parties and interim lead funder. Open it with POST /api/v1/people/${personId}/disputes.`,
    removeMessage: 'An event recorded with a dispute can only be changed on the dispute’s own page',
  },
  'dispute-resolved': {
    workflow: 'disputes',
    why: 'Resolving a dispute is the parties’ agreement or a determination, with its outcome and any back payment (s117(4); Care Act 2014 s40; R24): it is recorded on the dispute, never as a bare event.',
    formMessage: 'A dispute can only be resolved on its own page, with the outcome. Open the dispute from the person’s page and use “Resolve the dispute”',
    apiDetail: (personId) => `A dispute resolution (dispute-resolved) can only be recorded on the dispute itself, with its outcome: see GET /api/v1/people/${personId}/disputes and resolve it on the dispute's page in Aftercare.`,
    removeMessage: 'An event recorded with a dispute can only be changed on the dispute’s own page',
  },
};

export function workflowOnly(type: string): WorkflowOnlyEvent | undefined {
  return workflowOnlyEvents[type as EventType];
}
