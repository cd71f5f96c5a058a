import { apiRoute, readBodyWithin } from '@/app/lib/http';
import { refuseRequest } from '@/server/access/access-policy';
import { config } from '@/server/config';
import { AppError } from '@/server/errors';
import { importOnnxModel, importSlots } from '@/server/onnx-import/import-onnx-model';

export const dynamic = 'force-dynamic';

/** Room for the multipart envelope and the adapter around a file at the limit. */
const MULTIPART_OVERHEAD_BYTES = 256 * 1024;

/**
 * POST multipart `file` (the .onnx), `adapter` (JSON text or a .json file) and `name`:
 * imports the model (server/onnx-import). 201 with the model; 400/409/413 with the reason.
 */
export const POST = apiRoute({}, async ({ req }) => {
  // Not behind the proxy (proxy.ts says why): the same access policy, before anything is read.
  const refused = refuseRequest(req);
  if (refused) return refused;
  const limitMb = (config.maxModelBytes / 1024 / 1024).toFixed(0);
  const tooLarge = () => new AppError('TOO_LARGE', 'request body over the limit', `The model file is larger than ${limitMb} MB.`);
  const type = req.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) {
    throw new AppError('INVALID_INPUT', 'not multipart', 'Send the model as multipart form data with fields file, adapter and name.');
  }
  // One import at a time holds a body (up to the size limit) and a dry run; the next waits its turn or gets 503.
  return importSlots.run(async () => {
    // Counted while it streams: a chunked body without Content-Length stops at the limit.
    const body = await readBodyWithin(req, config.maxModelBytes + MULTIPART_OVERHEAD_BYTES, tooLarge);
    const form = await new Response(body, { headers: { 'content-type': type } }).formData().catch(() => {
      throw new AppError('INVALID_INPUT', 'unparseable multipart body', 'The form data could not be read; send fields file, adapter and name.');
    });
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) throw new AppError('INVALID_INPUT', 'no file field', 'Choose an ONNX model file.');
    if (file.size > config.maxModelBytes) throw new AppError('TOO_LARGE', `file of ${file.size} bytes`, `The model file is larger than ${limitMb} MB.`);
    const adapterField = form.get('adapter');
    const adapter = adapterField instanceof File ? await adapterField.text() : adapterField;
    if (typeof adapter !== 'string' || !adapter.trim())
      throw new AppError('INVALID_INPUT', 'no adapter field', 'Give the adapter (JSON) that says how to feed the model.');
    const name = form.get('name');
    if (typeof name !== 'string') throw new AppError('INVALID_INPUT', 'no name field', 'Give the model a name.');
    const r = await importOnnxModel({ bytes: new Uint8Array(await file.arrayBuffer()), adapter, name, fileName: file.name });
    return Response.json(r, { status: r.created ? 201 : 200 });
  }, req.signal);
});
