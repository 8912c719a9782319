/** The charges module's front door: the only file other modules, the app and the CLI import. */
export { ChargesFileFormatError, chargeColumns, ingestCharges, readChargesFile } from './import.service.ts';
