'use server';

import { z } from 'zod';
import { requestHealthCheck } from '@/server/health/request-health-check';
import { runAction, type ActionResult } from './result';

export async function requestHealthCheckAction(): Promise<ActionResult<{ id: string }>> {
  return runAction(z.undefined(), undefined, () => requestHealthCheck(), '/system');
}
