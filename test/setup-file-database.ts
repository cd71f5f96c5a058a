import { createFileDatabase, type TestDatabaseAdmin } from './file-database.ts';

// Every integration test file runs on a database of its own (vitest runs this before the file's
// imports): what it seeds, and the runs it leaves queued, are gone for the next file. Processes
// the file starts (workers, the CLI) inherit DATABASE_URL and so share the file's database.
const server = process.env.PIXELDRIVE_TEST_SERVER_URL;
const admin = process.env.PIXELDRIVE_TEST_ADMIN;
if (!server || !admin) throw new Error('PIXELDRIVE_TEST_SERVER_URL / PIXELDRIVE_TEST_ADMIN are not set: the integration tier runs with test/global-setup.ts');
process.env.DATABASE_URL = await createFileDatabase(server, JSON.parse(admin) as TestDatabaseAdmin);
