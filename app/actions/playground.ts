'use server';

import { z } from 'zod';
import { deleteUpload } from '@/server/playground/playground-queries';
import { segmentSample, segmentUpload } from '@/server/playground/segment-upload';
import { MAX_UPLOAD_BYTES, UPLOAD_LIMITS_TEXT } from '@/server/playground/validate-upload';
import { runAction, type ActionResult } from './result';

const id = z.string().min(1).max(64);
const uploadForm = z.object({
  file: z
    .instanceof(File, { message: 'Choose an image file first.' })
    // Checked again on the bytes; this guards memory before reading them.
    .refine((f) => f.size <= MAX_UPLOAD_BYTES, { message: `The file is larger than ${UPLOAD_LIMITS_TEXT.bytes}.` }),
  /** Empty: the newest trained checkpoint of each network (the shipped models unless retrained here). */
  checkpointIds: z.array(id).max(16),
});

export async function uploadPhotoAction(form: FormData): Promise<ActionResult<{ uploadId: string }>> {
  const r = await runAction(
    uploadForm,
    { file: form.get('file'), checkpointIds: form.getAll('checkpointIds') },
    async ({ file, checkpointIds }) =>
      segmentUpload({ read: async () => ({ bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || 'upload' }), checkpointIds }),
    '/playground',
  );
  // A form-level problem reads better as one sentence than as a field list.
  return !r.ok && r.fieldErrors?.file ? { ...r, message: r.fieldErrors.file[0] } : r;
}

export async function segmentSampleAction(imageId: string): Promise<ActionResult<{ uploadId: string }>> {
  return runAction(id, imageId, (i) => segmentSample({ imageId: i }), '/playground');
}

export async function deleteUploadAction(uploadId: string): Promise<ActionResult<void>> {
  return runAction(id, uploadId, (u) => deleteUpload({ uploadId: u }), '/playground');
}
