import type { IsoDate } from './calendar-date.ts';

/**
 * Which services count towards what aftercare costs now (the dashboards' weekly and yearly cost,
 * issue #13, item 8): a service of an approved plan counts on a day when it is in place that day
 * and the person is in the community that day.
 *
 * Sources:
 *  - In place: a service starts on its start date and, if it has an end date, stops after it (the
 *    plan records both; a service ending today is still provided today).
 *  - In the community: section 117 aftercare is for people who have ceased to be detained and
 *    have left hospital (MHA 1983 s117(1)); while someone is back in hospital (detained, recalled
 *    or an informal inpatient) their care is inpatient care, not the aftercare services of their
 *    plan, which resume (after review) when they leave hospital again (Mental Health Act 1983 Code
 *    of Practice (2015), chapter 33). A plan approved before discharge, for someone still in
 *    hospital, costs nothing yet.
 */

export interface DatedService {
  readonly startOn: IsoDate;
  readonly endOn: IsoDate | null;
}

/** The service is being provided on `on`: started, and not ended before it. */
export function serviceInPlaceOn(service: DatedService, on: IsoDate): boolean {
  return service.startOn <= on && (service.endOn === null || service.endOn >= on);
}

/** The service's cost counts on `on`: in place, for a person who is not in hospital that day. */
export function serviceCostCountsOn(service: DatedService, person: { readonly inHospital: boolean }, on: IsoDate): boolean {
  return serviceInPlaceOn(service, on) && !person.inHospital;
}
