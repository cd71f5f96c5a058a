import { getRunClassesForApi } from '@/server/dashboard/run-api';
import { errorResponse, toCsv } from '@/app/lib/http';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const rows = await getRunClassesForApi((await params).id);
    if (new URL(req.url).searchParams.get('format') === 'csv') {
      return new Response(toCsv(rows), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="per-class.csv"' } });
    }
    return Response.json({ classes: rows });
  } catch (e) {
    return errorResponse(e);
  }
}
