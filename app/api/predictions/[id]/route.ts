import { renderPrediction } from '@/server/dashboard/render-images';
import { errorResponse, png, widthParam } from '@/app/lib/http';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const url = new URL(req.url);
  try {
    return png(await renderPrediction(id, url.searchParams.get('mode') === 'errors' ? 'errors' : 'mask', widthParam(url)));
  } catch (e) {
    return errorResponse(e);
  }
}
