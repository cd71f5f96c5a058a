import { getRunForApi } from '@/server/dashboard/run-api';
import { errorResponse } from '@/app/lib/http';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    return Response.json(await getRunForApi((await params).id));
  } catch (e) {
    return errorResponse(e);
  }
}
