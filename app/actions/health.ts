'use server';

import { revalidatePath } from 'next/cache';
import { requestHealthCheck } from '@/server/health/request-health-check';
import { failure, type ActionResult } from './result';

export async function requestHealthCheckAction(): Promise<ActionResult<{ id: string }>> {
  try {
    const data = await requestHealthCheck();
    revalidatePath('/system');
    return { ok: true, data };
  } catch (e) {
    return failure(e);
  }
}
