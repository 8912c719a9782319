/**
 * Former clinical commissioning groups (CCGs) and the integrated care board (ICB) that replaced
 * each of them, so that a register which still names a CCG ("NHS Northumberland CCG", "00L")
 * is read as the ICB now responsible (issue #14, item 4). CCGs were abolished on 1 July 2022 by
 * the Health and Care Act 2022; each CCG's ODS code was kept as a "sub-ICB location" of the ICB
 * that took over its area (NHS Data Dictionary, "Sub Integrated Care Board Location").
 *
 * Sources (Open Government Licence v3.0):
 *  - The 106 CCGs of April 2021 with their ODS codes and names, and the ICB each became a sub-ICB
 *    location of on 1 July 2022: Office for National Statistics, Open Geography Portal,
 *    "Clinical Commissioning Group to STP and NHS England (Region) (April 2021) Lookup in England"
 *    joined to "Sub ICB Locations to Integrated Care Boards to NHS England (Region) (July 2022)
 *    Lookup in England" (LOC22_ICB22_NHSER22_EN_LU), as compiled in the public repository
 *    samuel-book/geography_data, docs/output_data/ccg_stp_sicbl_icb.csv (commit 4de52ac).
 *  - CCGs that merged before April 2021, by their old ODS code, and the April 2021 CCG they
 *    merged into: NHS Digital, Mental Health Bulletin pipeline, hard-coded "ccg_mapping_2021"
 *    (old code → 2021 code) and its population table (old names, where it gives them).
 *  - ICB names and ONS codes: src/domain/reference/organisations.ts (ONS, April 2023).
 * Compiled 7 December 2026.
 *
 * Where a CCG's area was divided in July 2022 (Tameside and Glossop: Glossop to Derby and
 * Derbyshire; Black Country and West Birmingham: West Birmingham to Birmingham and Solihull;
 * Bassetlaw moved from South Yorkshire to Nottingham and Nottinghamshire), the successor here is
 * the ICB the CCG's code became a sub-ICB location of: check people from the divided areas.
 */
import { referenceIcbs, type ReferenceBody } from '../../domain/reference/organisations.ts';

export interface FormerCcg {
  /** The CCG's ODS code, e.g. "00L". */
  readonly code: string;
  /** Its name, e.g. "NHS Northumberland CCG"; null for an old code whose name the sources do not give. */
  readonly name: string | null;
  /** The ODS code of the ICB that replaced it, e.g. "QHM". */
  readonly successorIcbOdsCode: string;
}

/** The 106 CCGs of April 2021: [ODS code, name, successor ICB's ODS code]. */
const ccgs2021: ReadonlyArray<readonly [string, string, string]> = [
  ['01F', 'NHS Halton CCG', 'QYG'],
  ['01J', 'NHS Knowsley CCG', 'QYG'],
  ['99A', 'NHS Liverpool CCG', 'QYG'],
  ['01T', 'NHS South Sefton CCG', 'QYG'],
  ['01V', 'NHS Southport and Formby CCG', 'QYG'],
  ['01X', 'NHS St Helens CCG', 'QYG'],
  ['02E', 'NHS Warrington CCG', 'QYG'],
  ['12F', 'NHS Wirral CCG', 'QYG'],
  ['27D', 'NHS Cheshire CCG', 'QYG'],
  ['04Y', 'NHS Cannock Chase CCG', 'QNC'],
  ['05D', 'NHS East Staffordshire CCG', 'QNC'],
  ['05G', 'NHS North Staffordshire CCG', 'QNC'],
  ['05Q', 'NHS South East Staffordshire and Seisdon Peninsula CCG', 'QNC'],
  ['05V', 'NHS Stafford and Surrounds CCG', 'QNC'],
  ['05W', 'NHS Stoke on Trent CCG', 'QNC'],
  ['M2L0M', 'NHS Shropshire, Telford and Wrekin CCG', 'QOC'],
  ['71E', 'NHS Lincolnshire CCG', 'QJM'],
  ['03W', 'NHS East Leicestershire and Rutland CCG', 'QK1'],
  ['04C', 'NHS Leicester City CCG', 'QK1'],
  ['04V', 'NHS West Leicestershire CCG', 'QK1'],
  ['B2M3M', 'NHS Coventry and Warwickshire CCG', 'QWU'],
  ['18C', 'NHS Herefordshire and Worcestershire CCG', 'QGH'],
  ['26A', 'NHS Norfolk and Waveney CCG', 'QMM'],
  ['06L', 'NHS Ipswich and East Suffolk CCG', 'QJG'],
  ['06T', 'NHS North East Essex CCG', 'QJG'],
  ['07K', 'NHS West Suffolk CCG', 'QJG'],
  ['M1J4Y', 'NHS Bedfordshire, Luton and Milton Keynes CCG', 'QHG'],
  ['06K', 'NHS East and North Hertfordshire CCG', 'QM7'],
  ['06N', 'NHS Herts Valleys CCG', 'QM7'],
  ['07H', 'NHS West Essex CCG', 'QM7'],
  ['99E', 'NHS Basildon and Brentwood CCG', 'QH8'],
  ['99F', 'NHS Castle Point and Rochford CCG', 'QH8'],
  ['06Q', 'NHS Mid Essex CCG', 'QH8'],
  ['99G', 'NHS Southend CCG', 'QH8'],
  ['07G', 'NHS Thurrock CCG', 'QH8'],
  ['W2U3Z', 'NHS North West London CCG', 'QRV'],
  ['93C', 'NHS North Central London CCG', 'QMJ'],
  ['A3A8R', 'NHS North East London CCG', 'QMF'],
  ['72Q', 'NHS South East London CCG', 'QKK'],
  ['36L', 'NHS South West London CCG', 'QWE'],
  ['91Q', 'NHS Kent and Medway CCG', 'QKS'],
  ['D4U1Y', 'NHS Frimley CCG', 'QNQ'],
  ['11N', 'NHS Kernow CCG', 'QT6'],
  ['15N', 'NHS Devon CCG', 'QJK'],
  ['11X', 'NHS Somerset CCG', 'QSL'],
  ['15C', 'NHS Bristol, North Somerset and South Gloucestershire CCG', 'QUY'],
  ['92G', 'NHS Bath and North East Somerset, Swindon and Wiltshire CCG', 'QOX'],
  ['11J', 'NHS Dorset CCG', 'QVV'],
  ['10R', 'NHS Portsmouth CCG', 'QRL'],
  ['D9Y0V', 'NHS Hampshire, Southampton and Isle of Wight CCG', 'QRL'],
  ['11M', 'NHS Gloucestershire CCG', 'QR1'],
  ['10Q', 'NHS Oxfordshire CCG', 'QU9'],
  ['15A', 'NHS Berkshire West CCG', 'QU9'],
  ['14Y', 'NHS Buckinghamshire CCG', 'QU9'],
  ['00Q', 'NHS Blackburn with Darwen CCG', 'QE1'],
  ['00R', 'NHS Blackpool CCG', 'QE1'],
  ['00X', 'NHS Chorley and South Ribble CCG', 'QE1'],
  ['01A', 'NHS East Lancashire CCG', 'QE1'],
  ['02G', 'NHS West Lancashire CCG', 'QE1'],
  ['02M', 'NHS Fylde and Wyre CCG', 'QE1'],
  ['01E', 'NHS Greater Preston CCG', 'QE1'],
  ['01K', 'NHS Morecambe Bay CCG', 'QE1'],
  ['99C', 'NHS North Tyneside CCG', 'QHM'],
  ['00L', 'NHS Northumberland CCG', 'QHM'],
  ['00N', 'NHS South Tyneside CCG', 'QHM'],
  ['00P', 'NHS Sunderland CCG', 'QHM'],
  ['13T', 'NHS Newcastle Gateshead CCG', 'QHM'],
  ['01H', 'NHS North Cumbria CCG', 'QHM'],
  ['84H', 'NHS County Durham CCG', 'QHM'],
  ['16C', 'NHS Tees Valley CCG', 'QHM'],
  ['02Y', 'NHS East Riding of Yorkshire CCG', 'QOQ'],
  ['03F', 'NHS Hull CCG', 'QOQ'],
  ['03H', 'NHS North East Lincolnshire CCG', 'QOQ'],
  ['03K', 'NHS North Lincolnshire CCG', 'QOQ'],
  ['03Q', 'NHS Vale of York CCG', 'QOQ'],
  ['42D', 'NHS North Yorkshire CCG', 'QOQ'],
  ['92A', 'NHS Surrey Heartlands CCG', 'QXU'],
  ['09D', 'NHS Brighton and Hove CCG', 'QNX'],
  ['97R', 'NHS East Sussex CCG', 'QNX'],
  ['70F', 'NHS West Sussex CCG', 'QNX'],
  ['02T', 'NHS Calderdale CCG', 'QWO'],
  ['03R', 'NHS Wakefield CCG', 'QWO'],
  ['15F', 'NHS Leeds CCG', 'QWO'],
  ['36J', 'NHS Bradford District and Craven CCG', 'QWO'],
  ['X2C4Y', 'NHS Kirklees CCG', 'QWO'],
  ['15E', 'NHS Birmingham and Solihull CCG', 'QHL'],
  ['06H', 'NHS Cambridgeshire and Peterborough CCG', 'QUE'],
  ['00T', 'NHS Bolton CCG', 'QOP'],
  ['00V', 'NHS Bury CCG', 'QOP'],
  ['01D', 'NHS Heywood, Middleton and Rochdale CCG', 'QOP'],
  ['00Y', 'NHS Oldham CCG', 'QOP'],
  ['01G', 'NHS Salford CCG', 'QOP'],
  ['01W', 'NHS Stockport CCG', 'QOP'],
  ['02A', 'NHS Trafford CCG', 'QOP'],
  ['02H', 'NHS Wigan Borough CCG', 'QOP'],
  ['14L', 'NHS Manchester CCG', 'QOP'],
  ['01Y', 'NHS Tameside and Glossop CCG', 'QOP'],
  ['15M', 'NHS Derby and Derbyshire CCG', 'QJ2'],
  ['78H', 'NHS Northamptonshire CCG', 'QPM'],
  ['02Q', 'NHS Bassetlaw CCG', 'QT1'],
  ['52R', 'NHS Nottingham and Nottinghamshire CCG', 'QT1'],
  ['02P', 'NHS Barnsley CCG', 'QF7'],
  ['02X', 'NHS Doncaster CCG', 'QF7'],
  ['03L', 'NHS Rotherham CCG', 'QF7'],
  ['03N', 'NHS Sheffield CCG', 'QF7'],
  ['D2P2L', 'NHS Black Country and West Birmingham CCG', 'QUA'],
];

/** CCGs that merged before April 2021: [old ODS code, old name or null, the April 2021 CCG's code]. */
const mergedBefore2021: ReadonlyArray<readonly [string, string | null, string]> = [
  ['00C', null, '16C'], ['00K', null, '16C'], ['00M', null, '16C'],
  ['00D', null, '84H'], ['00J', null, '84H'],
  ['01C', null, '27D'], ['01R', null, '27D'], ['02D', null, '27D'], ['02F', null, '27D'],
  ['02N', null, '36J'], ['02R', null, '36J'], ['02W', null, '36J'],
  ['03A', 'NHS Greater Huddersfield CCG', 'X2C4Y'], ['03J', 'NHS North Kirklees CCG', 'X2C4Y'],
  ['03D', null, '42D'], ['03E', null, '42D'], ['03M', null, '42D'],
  ['03T', null, '71E'], ['04D', null, '71E'], ['04Q', null, '71E'], ['99D', null, '71E'],
  ['03V', null, '78H'], ['04G', null, '78H'],
  ['03X', null, '15M'], ['03Y', null, '15M'], ['04J', null, '15M'], ['04R', null, '15M'],
  ['04E', null, '52R'], ['04H', null, '52R'], ['04K', null, '52R'], ['04L', null, '52R'], ['04M', null, '52R'], ['04N', null, '52R'],
  ['04F', 'NHS Milton Keynes CCG', 'M1J4Y'], ['06F', 'NHS Bedfordshire CCG', 'M1J4Y'], ['06P', 'NHS Luton CCG', 'M1J4Y'],
  ['05A', 'NHS Coventry and Rugby CCG', 'B2M3M'], ['05H', 'NHS Warwickshire North CCG', 'B2M3M'], ['05R', 'NHS South Warwickshire CCG', 'B2M3M'],
  ['05C', 'NHS Dudley CCG', 'D2P2L'], ['05L', 'NHS Sandwell and West Birmingham CCG', 'D2P2L'], ['05Y', 'NHS Walsall CCG', 'D2P2L'], ['06A', 'NHS Wolverhampton CCG', 'D2P2L'],
  ['05F', null, '18C'], ['05J', null, '18C'], ['05T', null, '18C'], ['06D', null, '18C'],
  ['05N', 'NHS Shropshire CCG', 'M2L0M'], ['05X', 'NHS Telford and Wrekin CCG', 'M2L0M'],
  ['06M', null, '26A'], ['06V', null, '26A'], ['06W', null, '26A'], ['06Y', null, '26A'], ['07J', null, '26A'],
  ['07L', 'NHS Barking and Dagenham CCG', 'A3A8R'], ['07T', 'NHS City and Hackney CCG', 'A3A8R'], ['08F', 'NHS Havering CCG', 'A3A8R'],
  ['08M', 'NHS Newham CCG', 'A3A8R'], ['08N', 'NHS Redbridge CCG', 'A3A8R'], ['08V', 'NHS Tower Hamlets CCG', 'A3A8R'], ['08W', 'NHS Waltham Forest CCG', 'A3A8R'],
  ['07M', null, '93C'], ['07R', null, '93C'], ['07X', null, '93C'], ['08D', null, '93C'], ['08H', null, '93C'],
  ['07N', null, '72Q'], ['07Q', null, '72Q'], ['08A', null, '72Q'], ['08K', null, '72Q'], ['08L', null, '72Q'], ['08Q', null, '72Q'],
  ['07P', 'NHS Brent CCG', 'W2U3Z'], ['07W', 'NHS Ealing CCG', 'W2U3Z'], ['07Y', 'NHS Hounslow CCG', 'W2U3Z'], ['08C', 'NHS Hammersmith and Fulham CCG', 'W2U3Z'],
  ['08E', 'NHS Harrow CCG', 'W2U3Z'], ['08G', 'NHS Hillingdon CCG', 'W2U3Z'], ['08Y', 'NHS West London CCG', 'W2U3Z'], ['09A', 'NHS Central London (Westminster) CCG', 'W2U3Z'],
  ['07V', null, '36L'], ['08J', null, '36L'], ['08P', null, '36L'], ['08R', null, '36L'], ['08T', null, '36L'], ['08X', null, '36L'],
  ['09C', null, '91Q'], ['09E', null, '91Q'], ['09J', null, '91Q'], ['09W', null, '91Q'], ['10A', null, '91Q'], ['10D', null, '91Q'], ['10E', null, '91Q'], ['99J', null, '91Q'],
  ['09F', null, '97R'], ['09P', null, '97R'], ['99K', null, '97R'],
  ['09G', null, '70F'], ['09H', null, '70F'], ['09X', null, '70F'],
  ['09L', null, '92A'], ['09N', null, '92A'], ['09Y', null, '92A'], ['99H', null, '92A'],
  ['10C', 'NHS Surrey Heath CCG', 'D4U1Y'], ['15D', 'NHS East Berkshire CCG', 'D4U1Y'], ['99M', 'NHS North East Hampshire and Farnham CCG', 'D4U1Y'],
  ['10J', 'NHS North Hampshire CCG', 'D9Y0V'], ['10K', 'NHS Fareham and Gosport CCG', 'D9Y0V'], ['10L', 'NHS Isle of Wight CCG', 'D9Y0V'],
  ['10V', 'NHS South Eastern Hampshire CCG', 'D9Y0V'], ['10X', 'NHS Southampton CCG', 'D9Y0V'], ['11A', 'NHS West Hampshire CCG', 'D9Y0V'],
  ['11E', null, '92G'], ['12D', null, '92G'], ['99N', null, '92G'],
  ['99P', null, '15N'], ['99Q', null, '15N'],
];

const successorOf2021 = new Map(ccgs2021.map(([code, , icb]) => [code, icb]));

/** Every former CCG this list knows: the 106 of April 2021, then the older ones that merged into them. */
export const formerCcgs: readonly FormerCcg[] = [
  ...ccgs2021.map(([code, name, successorIcbOdsCode]) => ({ code, name, successorIcbOdsCode })),
  ...mergedBefore2021.map(([code, name, into]) => {
    const successorIcbOdsCode = successorOf2021.get(into);
    if (!successorIcbOdsCode) throw new Error(`former CCG ${code} merged into ${into}, which is not a CCG of April 2021`);
    return { code, name, successorIcbOdsCode };
  }),
];

/** The ICB that replaced a former CCG, from the reference list of ICBs (name and ONS code). */
export interface CcgSuccession {
  ccg: FormerCcg;
  icb: ReferenceBody & { readonly odsCode: string };
}

const icbByOds = new Map(referenceIcbs.filter((b): b is ReferenceBody & { odsCode: string } => b.odsCode !== undefined).map((b) => [b.odsCode, b]));

/** A CCG's name compared without "NHS", "CCG", "clinical commissioning group", punctuation or case. */
export function ccgNameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\b(nhs|the|ccg|clinical commissioning group)\b/g, ' ')
    .replace(/[^a-z0-9]/g, '');
}

const byCode = new Map<string, CcgSuccession>();
const byName = new Map<string, CcgSuccession>();
for (const ccg of formerCcgs) {
  const icb = icbByOds.get(ccg.successorIcbOdsCode);
  if (!icb) throw new Error(`former CCG ${ccg.code}: no ICB with ODS code ${ccg.successorIcbOdsCode} in the reference list`);
  const succession = { ccg, icb };
  byCode.set(ccg.code, succession);
  if (ccg.name) byName.set(ccgNameKey(ccg.name), succession);
}

/**
 * The ICB that replaced the CCG a register names, by the CCG's ODS code ("00L") or its name
 * ("NHS Northumberland CCG", "Northumberland CCG"); null when the text names no former CCG.
 */
export function successorOfFormerCcg(text: string): CcgSuccession | null {
  const raw = text.trim();
  if (raw === '') return null;
  const found = byCode.get(raw.toUpperCase());
  if (found) return found;
  const key = ccgNameKey(raw);
  return key ? (byName.get(key) ?? null) : null;
}
