import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration into drizzle/ from the schema.
// Migrations are committed and reviewed; the app applies them at boot. Never `drizzle-kit push`.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/*/schema.ts', './src/modules/*/schema.ts'],
  out: './drizzle',
});
