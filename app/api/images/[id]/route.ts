import { renderDatasetImage, renderGroundTruth } from '@/server/dashboard/render-images';
import { errorResponse, png, widthParam } from '@/app/lib/http';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const url = new URL(req.url);
  try {
    if (url.searchParams.get('kind') === 'gt') return png(await renderGroundTruth(id, widthParam(url)));
    return png(await renderDatasetImage(id, widthParam(url)), 'image/jpeg');
  } catch (e) {
    return errorResponse(e);
  }
}
