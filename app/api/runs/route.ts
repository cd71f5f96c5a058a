import { listRunsForApi } from '@/server/dashboard/run-api';
import { apiRoute } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({}, async () => Response.json({ runs: await listRunsForApi() }));
