import { AppError } from '@/server/errors';
import { segmentUpload } from '@/server/playground/segment-upload';
import { getUpload } from '@/server/playground/playground-queries';
import { MAX_UPLOAD_BYTES, UPLOAD_LIMITS_TEXT } from '@/server/playground/validate-upload';
import { apiRoute } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

/** Room for the multipart envelope around a file at the limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * POST an image (multipart field "file", or the raw bytes as the body): segments it with
 * all three models. 400/413/415 for bad input, 503 with Retry-After when busy.
 */
export const POST = apiRoute({}, async ({ req }) => {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES) {
    throw new AppError('TOO_LARGE', `declared ${declared} bytes`, `The file is larger than ${UPLOAD_LIMITS_TEXT.bytes}.`);
  }
  let bytes: Uint8Array;
  let name = 'upload';
  if ((req.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    const file = (await req.formData()).get('file');
    if (!(file instanceof File)) throw new AppError('INVALID_INPUT', 'no file field', 'Send the image in a form field named "file".');
    bytes = new Uint8Array(await file.arrayBuffer());
    name = file.name || name;
  } else {
    bytes = new Uint8Array(await req.arrayBuffer());
  }
  const { uploadId } = await segmentUpload({ bytes, fileName: name });
  return Response.json(await getUpload(uploadId), { status: 201 });
});
