import { NUM_CLASSES } from '@/models/classes';
import { renderPrediction } from '@/server/dashboard/render-images';
import { errorResponse, png, widthParam } from '@/app/lib/http';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const url = new URL(req.url);
  try {
    const cls = Number(url.searchParams.get('class'));
    const classId = url.searchParams.has('class') && Number.isInteger(cls) && cls >= 0 && cls < NUM_CLASSES ? cls : undefined;
    return png(await renderPrediction(id, url.searchParams.get('mode') === 'errors' ? 'errors' : 'mask', widthParam(url), classId));
  } catch (e) {
    return errorResponse(e);
  }
}
