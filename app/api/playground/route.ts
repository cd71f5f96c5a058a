import { segmentUpload } from '@/server/playground/segment-upload';
import { getUpload } from '@/server/playground/playground-queries';
import { MAX_UPLOAD_BYTES, UPLOAD_LIMITS_TEXT } from '@/server/playground/validate-upload';
import { errorResponse } from '@/app/lib/http';

/**
 * POST an image (multipart field "file", or the raw bytes as the body): segments it with
 * all three models. 400/413/415 for bad input, 503 with Retry-After when busy.
 */
export async function POST(req: Request) {
  try {
    const declared = Number(req.headers.get('content-length') ?? 0);
    if (declared > MAX_UPLOAD_BYTES + 64 * 1024) {
      return Response.json({ error: 'TOO_LARGE', message: `The file is larger than ${UPLOAD_LIMITS_TEXT.bytes}.` }, { status: 413 });
    }
    let bytes: Uint8Array;
    let name = 'upload';
    if ((req.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
      const file = (await req.formData()).get('file');
      if (!(file instanceof File)) return Response.json({ error: 'INVALID_INPUT', message: 'Send the image in a form field named "file".' }, { status: 400 });
      bytes = new Uint8Array(await file.arrayBuffer());
      name = file.name || name;
    } else {
      bytes = new Uint8Array(await req.arrayBuffer());
    }
    const { uploadId } = await segmentUpload({ bytes, fileName: name });
    return Response.json(await getUpload(uploadId), { status: 201 });
  } catch (e) {
    const res = errorResponse(e);
    if (res.status === 503) res.headers.set('retry-after', '3');
    return res;
  }
}
