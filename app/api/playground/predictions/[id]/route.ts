import { renderPlaygroundPrediction } from '@/server/playground/playground-queries';
import { errorResponse, png, widthParam } from '@/app/lib/http';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const url = new URL(req.url);
  try {
    return png(await renderPlaygroundPrediction((await params).id, url.searchParams.get('mode') === 'errors' ? 'errors' : 'mask', widthParam(url)));
  } catch (e) {
    return errorResponse(e);
  }
}
