import { listRunsForApi } from '@/server/dashboard/run-api';
import { errorResponse } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    return Response.json({ runs: await listRunsForApi() });
  } catch (e) {
    return errorResponse(e);
  }
}
