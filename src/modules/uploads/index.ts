/** The uploaded documents module's front door (issue 15, item 3): the only file other modules, the app and the CLI import. */
export { uploadsRoutes } from './routes.ts';
export { uploadedDocumentsSection } from './person-section.ts';
export { uploadedFilesOfPerson } from './uploads.service.ts';
export { uploadedBlob, uploadedDocument } from './schema.ts';
