/**
 * Reference list of the bodies a section 117 record names: English and Welsh local authorities
 * with social services responsibilities, English integrated care boards (ICBs) and Welsh local
 * health boards. Shipped as data so forms offer them by name (issue #13, item 3).
 *
 * Sources (Open Government Licence v3.0):
 *  - Local authorities: Office for National Statistics, "Local Authority Districts (December
 *    2023) Names and Codes in the UK" and "Counties (December 2023) Names and Codes in England",
 *    Open Geography Portal (geoportal.statistics.gov.uk). Codes as they stand from 1 April 2023
 *    (Cumberland, Westmorland and Furness, North Yorkshire and Somerset as unitary authorities).
 *  - ICBs: ONS "Integrated Care Boards (April 2023) Names and Codes in England" (E54…) with the
 *    ICB's ODS code from NHS England's Organisation Data Service; from April 2023 Surrey
 *    Heartlands is E54000063 and Sussex E54000064 (their 2022 codes were E54000052 and
 *    E54000053, kept below only to name old records).
 *  - Welsh local health boards: ONS "Local Health Boards (April 2019) Names and Codes in Wales"
 *    (W11…) with their ODS codes (7A1–7A7).
 * Compiled December 2026.
 *
 * What it covers: the 153 English councils with social services responsibilities (63 unitary
 * authorities including the Council of the Isles of Scilly, 36 metropolitan districts, the 32
 * London boroughs and the City of London, 21 county councils), the 22 Welsh principal councils,
 * the 42 ICBs and the 7 Welsh local health boards. It does not cover shire districts (E07), which
 * have no social services duties, nor ICB mergers after April 2023: a partnership adds a body
 * that is missing as one of its own organisations, and the forms offer its own bodies first.
 */

export interface ReferenceBody {
  /** The ONS (GSS) code the register and the rules engine use. */
  readonly code: string;
  readonly name: string;
  /** The ODS code, for ICBs and health boards. */
  readonly odsCode?: string;
}

const la = (code: string, name: string): ReferenceBody => ({ code, name });

/** English and Welsh councils with social services responsibilities, by ONS code. */
export const referenceLocalAuthorities: readonly ReferenceBody[] = [
  // Unitary authorities (E06)
  la('E06000001', 'Hartlepool Borough Council'),
  la('E06000002', 'Middlesbrough Council'),
  la('E06000003', 'Redcar and Cleveland Borough Council'),
  la('E06000004', 'Stockton-on-Tees Borough Council'),
  la('E06000005', 'Darlington Borough Council'),
  la('E06000006', 'Halton Borough Council'),
  la('E06000007', 'Warrington Borough Council'),
  la('E06000008', 'Blackburn with Darwen Borough Council'),
  la('E06000009', 'Blackpool Council'),
  la('E06000010', 'Hull City Council'),
  la('E06000011', 'East Riding of Yorkshire Council'),
  la('E06000012', 'North East Lincolnshire Council'),
  la('E06000013', 'North Lincolnshire Council'),
  la('E06000014', 'City of York Council'),
  la('E06000015', 'Derby City Council'),
  la('E06000016', 'Leicester City Council'),
  la('E06000017', 'Rutland County Council'),
  la('E06000018', 'Nottingham City Council'),
  la('E06000019', 'Herefordshire Council'),
  la('E06000020', 'Telford and Wrekin Council'),
  la('E06000021', 'Stoke-on-Trent City Council'),
  la('E06000022', 'Bath and North East Somerset Council'),
  la('E06000023', 'Bristol City Council'),
  la('E06000024', 'North Somerset Council'),
  la('E06000025', 'South Gloucestershire Council'),
  la('E06000026', 'Plymouth City Council'),
  la('E06000027', 'Torbay Council'),
  la('E06000030', 'Swindon Borough Council'),
  la('E06000031', 'Peterborough City Council'),
  la('E06000032', 'Luton Borough Council'),
  la('E06000033', 'Southend-on-Sea City Council'),
  la('E06000034', 'Thurrock Council'),
  la('E06000035', 'Medway Council'),
  la('E06000036', 'Bracknell Forest Council'),
  la('E06000037', 'West Berkshire Council'),
  la('E06000038', 'Reading Borough Council'),
  la('E06000039', 'Slough Borough Council'),
  la('E06000040', 'Royal Borough of Windsor and Maidenhead'),
  la('E06000041', 'Wokingham Borough Council'),
  la('E06000042', 'Milton Keynes City Council'),
  la('E06000043', 'Brighton and Hove City Council'),
  la('E06000044', 'Portsmouth City Council'),
  la('E06000045', 'Southampton City Council'),
  la('E06000046', 'Isle of Wight Council'),
  la('E06000047', 'Durham County Council'),
  la('E06000049', 'Cheshire East Council'),
  la('E06000050', 'Cheshire West and Chester Council'),
  la('E06000051', 'Shropshire Council'),
  la('E06000052', 'Cornwall Council'),
  la('E06000053', 'Council of the Isles of Scilly'),
  la('E06000054', 'Wiltshire Council'),
  la('E06000055', 'Bedford Borough Council'),
  la('E06000056', 'Central Bedfordshire Council'),
  la('E06000057', 'Northumberland County Council'),
  la('E06000058', 'Bournemouth, Christchurch and Poole Council'),
  la('E06000059', 'Dorset Council'),
  la('E06000060', 'Buckinghamshire Council'),
  la('E06000061', 'North Northamptonshire Council'),
  la('E06000062', 'West Northamptonshire Council'),
  la('E06000063', 'Cumberland Council'),
  la('E06000064', 'Westmorland and Furness Council'),
  la('E06000065', 'North Yorkshire Council'),
  la('E06000066', 'Somerset Council'),
  // Metropolitan districts (E08)
  la('E08000001', 'Bolton Council'),
  la('E08000002', 'Bury Council'),
  la('E08000003', 'Manchester City Council'),
  la('E08000004', 'Oldham Council'),
  la('E08000005', 'Rochdale Borough Council'),
  la('E08000006', 'Salford City Council'),
  la('E08000007', 'Stockport Council'),
  la('E08000008', 'Tameside Council'),
  la('E08000009', 'Trafford Council'),
  la('E08000010', 'Wigan Council'),
  la('E08000011', 'Knowsley Council'),
  la('E08000012', 'Liverpool City Council'),
  la('E08000013', 'St Helens Borough Council'),
  la('E08000014', 'Sefton Council'),
  la('E08000015', 'Wirral Council'),
  la('E08000016', 'Barnsley Council'),
  la('E08000017', 'City of Doncaster Council'),
  la('E08000018', 'Rotherham Council'),
  la('E08000019', 'Sheffield City Council'),
  la('E08000021', 'Newcastle City Council'),
  la('E08000022', 'North Tyneside Council'),
  la('E08000023', 'South Tyneside Council'),
  la('E08000024', 'Sunderland City Council'),
  la('E08000025', 'Birmingham City Council'),
  la('E08000026', 'Coventry City Council'),
  la('E08000027', 'Dudley Council'),
  la('E08000028', 'Sandwell Council'),
  la('E08000029', 'Solihull Council'),
  la('E08000030', 'Walsall Council'),
  la('E08000031', 'City of Wolverhampton Council'),
  la('E08000032', 'City of Bradford Metropolitan District Council'),
  la('E08000033', 'Calderdale Council'),
  la('E08000034', 'Kirklees Council'),
  la('E08000035', 'Leeds City Council'),
  la('E08000036', 'Wakefield Council'),
  la('E08000037', 'Gateshead Council'),
  // The City of London and the London boroughs (E09)
  la('E09000001', 'City of London Corporation'),
  la('E09000002', 'London Borough of Barking and Dagenham'),
  la('E09000003', 'London Borough of Barnet'),
  la('E09000004', 'London Borough of Bexley'),
  la('E09000005', 'London Borough of Brent'),
  la('E09000006', 'London Borough of Bromley'),
  la('E09000007', 'London Borough of Camden'),
  la('E09000008', 'London Borough of Croydon'),
  la('E09000009', 'London Borough of Ealing'),
  la('E09000010', 'London Borough of Enfield'),
  la('E09000011', 'Royal Borough of Greenwich'),
  la('E09000012', 'London Borough of Hackney'),
  la('E09000013', 'London Borough of Hammersmith and Fulham'),
  la('E09000014', 'London Borough of Haringey'),
  la('E09000015', 'London Borough of Harrow'),
  la('E09000016', 'London Borough of Havering'),
  la('E09000017', 'London Borough of Hillingdon'),
  la('E09000018', 'London Borough of Hounslow'),
  la('E09000019', 'London Borough of Islington'),
  la('E09000020', 'Royal Borough of Kensington and Chelsea'),
  la('E09000021', 'Royal Borough of Kingston upon Thames'),
  la('E09000022', 'London Borough of Lambeth'),
  la('E09000023', 'London Borough of Lewisham'),
  la('E09000024', 'London Borough of Merton'),
  la('E09000025', 'London Borough of Newham'),
  la('E09000026', 'London Borough of Redbridge'),
  la('E09000027', 'London Borough of Richmond upon Thames'),
  la('E09000028', 'London Borough of Southwark'),
  la('E09000029', 'London Borough of Sutton'),
  la('E09000030', 'London Borough of Tower Hamlets'),
  la('E09000031', 'London Borough of Waltham Forest'),
  la('E09000032', 'London Borough of Wandsworth'),
  la('E09000033', 'Westminster City Council'),
  // County councils (E10)
  la('E10000003', 'Cambridgeshire County Council'),
  la('E10000007', 'Derbyshire County Council'),
  la('E10000008', 'Devon County Council'),
  la('E10000011', 'East Sussex County Council'),
  la('E10000012', 'Essex County Council'),
  la('E10000013', 'Gloucestershire County Council'),
  la('E10000014', 'Hampshire County Council'),
  la('E10000015', 'Hertfordshire County Council'),
  la('E10000016', 'Kent County Council'),
  la('E10000017', 'Lancashire County Council'),
  la('E10000018', 'Leicestershire County Council'),
  la('E10000019', 'Lincolnshire County Council'),
  la('E10000020', 'Norfolk County Council'),
  la('E10000024', 'Nottinghamshire County Council'),
  la('E10000025', 'Oxfordshire County Council'),
  la('E10000028', 'Staffordshire County Council'),
  la('E10000029', 'Suffolk County Council'),
  la('E10000030', 'Surrey County Council'),
  la('E10000031', 'Warwickshire County Council'),
  la('E10000032', 'West Sussex County Council'),
  la('E10000034', 'Worcestershire County Council'),
  // Welsh principal councils (W06)
  la('W06000001', 'Isle of Anglesey County Council'),
  la('W06000002', 'Gwynedd Council'),
  la('W06000003', 'Conwy County Borough Council'),
  la('W06000004', 'Denbighshire County Council'),
  la('W06000005', 'Flintshire County Council'),
  la('W06000006', 'Wrexham County Borough Council'),
  la('W06000008', 'Ceredigion County Council'),
  la('W06000009', 'Pembrokeshire County Council'),
  la('W06000010', 'Carmarthenshire County Council'),
  la('W06000011', 'Swansea Council'),
  la('W06000012', 'Neath Port Talbot Council'),
  la('W06000013', 'Bridgend County Borough Council'),
  la('W06000014', 'Vale of Glamorgan Council'),
  la('W06000015', 'Cardiff Council'),
  la('W06000016', 'Rhondda Cynon Taf County Borough Council'),
  la('W06000018', 'Caerphilly County Borough Council'),
  la('W06000019', 'Blaenau Gwent County Borough Council'),
  la('W06000020', 'Torfaen County Borough Council'),
  la('W06000021', 'Monmouthshire County Council'),
  la('W06000022', 'Newport City Council'),
  la('W06000023', 'Powys County Council'),
  la('W06000024', 'Merthyr Tydfil County Borough Council'),
];

const icb = (code: string, odsCode: string, name: string): ReferenceBody => ({ code, odsCode, name: `NHS ${name} Integrated Care Board` });
const lhb = (code: string, odsCode: string, name: string): ReferenceBody => ({ code, odsCode, name });

/** The 42 ICBs (E54…, April 2023) and the 7 Welsh local health boards (W11…). */
export const referenceIcbs: readonly ReferenceBody[] = [
  icb('E54000008', 'QYG', 'Cheshire and Merseyside'),
  icb('E54000010', 'QNC', 'Staffordshire and Stoke-on-Trent'),
  icb('E54000011', 'QOC', 'Shropshire, Telford and Wrekin'),
  icb('E54000013', 'QJM', 'Lincolnshire'),
  icb('E54000015', 'QK1', 'Leicester, Leicestershire and Rutland'),
  icb('E54000018', 'QWU', 'Coventry and Warwickshire'),
  icb('E54000019', 'QGH', 'Herefordshire and Worcestershire'),
  icb('E54000022', 'QMM', 'Norfolk and Waveney'),
  icb('E54000023', 'QJG', 'Suffolk and North East Essex'),
  icb('E54000024', 'QHG', 'Bedfordshire, Luton and Milton Keynes'),
  icb('E54000025', 'QM7', 'Hertfordshire and West Essex'),
  icb('E54000026', 'QH8', 'Mid and South Essex'),
  icb('E54000027', 'QRV', 'North West London'),
  icb('E54000028', 'QMJ', 'North Central London'),
  icb('E54000029', 'QMF', 'North East London'),
  icb('E54000030', 'QKK', 'South East London'),
  icb('E54000031', 'QWE', 'South West London'),
  icb('E54000032', 'QKS', 'Kent and Medway'),
  icb('E54000034', 'QNQ', 'Frimley'),
  icb('E54000036', 'QT6', 'Cornwall and the Isles of Scilly'),
  icb('E54000037', 'QJK', 'Devon'),
  icb('E54000038', 'QSL', 'Somerset'),
  icb('E54000039', 'QUY', 'Bristol, North Somerset and South Gloucestershire'),
  icb('E54000040', 'QOX', 'Bath and North East Somerset, Swindon and Wiltshire'),
  icb('E54000041', 'QVV', 'Dorset'),
  icb('E54000042', 'QRL', 'Hampshire and Isle of Wight'),
  icb('E54000043', 'QR1', 'Gloucestershire'),
  icb('E54000044', 'QU9', 'Buckinghamshire, Oxfordshire and Berkshire West'),
  icb('E54000048', 'QE1', 'Lancashire and South Cumbria'),
  icb('E54000050', 'QHM', 'North East and North Cumbria'),
  icb('E54000051', 'QOQ', 'Humber and North Yorkshire'),
  icb('E54000054', 'QWO', 'West Yorkshire'),
  icb('E54000055', 'QHL', 'Birmingham and Solihull'),
  icb('E54000056', 'QUE', 'Cambridgeshire and Peterborough'),
  icb('E54000057', 'QOP', 'Greater Manchester'),
  icb('E54000058', 'QJ2', 'Derby and Derbyshire'),
  icb('E54000059', 'QPM', 'Northamptonshire'),
  icb('E54000060', 'QT1', 'Nottingham and Nottinghamshire'),
  icb('E54000061', 'QF7', 'South Yorkshire'),
  icb('E54000062', 'QUA', 'Black Country'),
  icb('E54000063', 'QXU', 'Surrey Heartlands'),
  icb('E54000064', 'QNX', 'Sussex'),
  lhb('W11000023', '7A1', 'Betsi Cadwaladr University Health Board'),
  lhb('W11000024', '7A7', 'Powys Teaching Health Board'),
  lhb('W11000025', '7A2', 'Hywel Dda University Health Board'),
  lhb('W11000028', '7A6', 'Aneurin Bevan University Health Board'),
  lhb('W11000029', '7A4', 'Cardiff and Vale University Health Board'),
  lhb('W11000030', '7A5', 'Cwm Taf Morgannwg University Health Board'),
  lhb('W11000031', '7A3', 'Swansea Bay University Health Board'),
];

/** Codes of bodies replaced since, kept only so old records still read as names. */
const formerNames: Readonly<Record<string, string>> = {
  E54000052: 'NHS Surrey Heartlands Integrated Care Board',
  E54000053: 'NHS Sussex Integrated Care Board',
};

const byCode = new Map<string, string>([...referenceLocalAuthorities, ...referenceIcbs].map((b) => [b.code, b.name]));

/** The name of a local authority, ICB or health board from the reference list, or null. */
export function referenceName(code: string): string | null {
  return byCode.get(code) ?? formerNames[code] ?? null;
}
