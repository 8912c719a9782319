/**
 * The Section 117 rules engine: public surface for the CLI, the API and the pages.
 *
 *   const parsed = parseCaseJson(body);          // or parseCase(object)
 *   if (!parsed.ok) reply 422 with parsed.problem (application/problem+json)
 *   const decision = evaluate(parsed.value);
 */
export { evaluate } from './evaluate.ts';
export {
  CONTRACT_VERSION,
  caseInputSchema,
  decisionSchema,
  legalEventSchema,
  needSchema,
  policySchema,
  eventTypes,
  statuses,
  flagCodes,
  flagMeanings,
  rejectionCodes,
  rejectionMeanings,
  endReasons,
  parseCase,
  parseCaseJson,
  INVALID_CASE_TYPE,
} from './contract.ts';
export type {
  Case,
  CaseInput,
  Decision,
  Episode,
  EventType,
  FieldError,
  Flag,
  LegalEvent,
  Need,
  NeedDecision,
  ParseResult,
  Policy,
  Problem,
  Reason,
  RejectedEvent,
  RejectionCode,
  Status,
} from './contract.ts';
export { ruleCatalogue, ruleById } from './catalogue.ts';
export { legalPositionOf, legalPositions, legalPositionLabels } from './legal-position.ts';
export type { LegalPosition } from './legal-position.ts';
export { sourceParts, citationLink } from './sources.ts';
export type { SourcePart } from './sources.ts';
export type { Rule, RuleId } from './catalogue.ts';
export {
  checkServiceCharge,
  topUpAmount,
  phbRequestDecision,
  checkFundingSplit,
  checkPlanItem,
  s45FieldsActive,
} from './plan-rules.ts';
export {
  classifyNeed,
  classifyPlanNeed,
  needDomains,
  needDomainIds,
  needDomainLabel,
  needCategories,
  needCategoryLabels,
} from './needs.ts';
export type { NeedDomain, NeedCategory, PlanNeedInput, PlanNeedClassification } from './needs.ts';
export {
  legalStatusCodes,
  lookupLegalStatusCode,
  isKnownLegalStatusCode,
} from '../legal-status-codes.ts';
export type { LegalStatusCodeEntry, LegalStatusClassification } from '../legal-status-codes.ts';
