'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { deleteUpload } from '@/server/playground/playground-queries';
import { segmentSample, segmentUpload } from '@/server/playground/segment-upload';
import { MAX_UPLOAD_BYTES } from '@/server/playground/validate-upload';
import { failure, validationError, type ActionResult } from './result';

const id = z.string().min(1).max(64);

export async function uploadPhotoAction(form: FormData): Promise<ActionResult<{ uploadId: string }>> {
  const file = form.get('file');
  if (!(file instanceof File)) return { ok: false, code: 'INVALID_INPUT', message: 'Choose an image file first.' };
  // Checked again on the bytes; this guards memory before reading them.
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, code: 'TOO_LARGE', message: `The file is ${(file.size / 1048576).toFixed(1)} MB; the limit is 10 MB.` };
  try {
    const data = await segmentUpload({ bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || 'upload' });
    revalidatePath('/playground');
    return { ok: true, data };
  } catch (e) {
    return failure(e);
  }
}

export async function segmentSampleAction(imageId: string): Promise<ActionResult<{ uploadId: string }>> {
  const parsed = id.safeParse(imageId);
  if (!parsed.success) return validationError(parsed.error);
  try {
    const data = await segmentSample({ imageId: parsed.data });
    revalidatePath('/playground');
    return { ok: true, data };
  } catch (e) {
    return failure(e);
  }
}

export async function deleteUploadAction(uploadId: string): Promise<ActionResult<null>> {
  const parsed = id.safeParse(uploadId);
  if (!parsed.success) return validationError(parsed.error);
  try {
    await deleteUpload({ uploadId: parsed.data });
    revalidatePath('/playground');
    return { ok: true, data: null };
  } catch (e) {
    return failure(e);
  }
}
