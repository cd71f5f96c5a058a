import { refuseRequest } from '@/server/access/access-policy';
import { AppError } from '@/server/errors';
import { segmentUpload } from '@/server/playground/segment-upload';
import { getUpload } from '@/server/playground/playground-queries';
import { MAX_UPLOAD_BYTES, UPLOAD_LIMITS_TEXT } from '@/server/playground/validate-upload';
import { apiRoute, readBodyWithin } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

/** Room for the multipart envelope around a file at the limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const tooLarge = () => new AppError('TOO_LARGE', 'request body over the limit', `The upload is over the size limit; the limit is ${UPLOAD_LIMITS_TEXT.bytes}.`);

/** Reads the image once the upload has its slot: multipart field "file", or the raw bytes as the body. */
async function readUpload(req: Request): Promise<{ bytes: Uint8Array; fileName: string }> {
  const body = await readBodyWithin(req, MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES, tooLarge);
  const type = req.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) return { bytes: body, fileName: 'upload' };
  const form = await new Response(body, { headers: { 'content-type': type } }).formData().catch(() => {
    throw new AppError('INVALID_INPUT', 'unparseable multipart body', 'The form data could not be read; send the image in a form field named "file".');
  });
  const file = form.get('file');
  if (!(file instanceof File)) throw new AppError('INVALID_INPUT', 'no file field', 'Send the image in a form field named "file".');
  return { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || 'upload' };
}

/**
 * POST an image: segments it with the newest trained checkpoint of each network. 400/413/415 for bad input; when busy the
 * request waits its turn (up to 20 s) before a 503 with Retry-After.
 */
export const POST = apiRoute({}, async ({ req }) => {
  // Not behind the proxy (proxy.ts says why): the same access policy, before anything is read.
  const refused = refuseRequest(req);
  if (refused) return refused;
  // A declared size over the limit is refused before waiting for a slot.
  if (Number(req.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
  const { uploadId } = await segmentUpload({ read: () => readUpload(req), signal: req.signal });
  return Response.json(await getUpload(uploadId), { status: 201 });
});
