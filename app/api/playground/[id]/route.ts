import { renderUploadImage } from '@/server/playground/playground-queries';
import { errorResponse, png, widthParam } from '@/app/lib/http';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    return png(await renderUploadImage((await params).id, widthParam(new URL(req.url))), 'image/jpeg');
  } catch (e) {
    return errorResponse(e);
  }
}
