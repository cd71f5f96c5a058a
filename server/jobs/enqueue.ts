import { getBoss } from './boss.ts';
import { JOB_DEFINITIONS, type JobName, type JobPayload } from './definitions.ts';

/** Validates then enqueues: a malformed payload never reaches the queue. */
export async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: { singletonKey?: string } = {}): Promise<string | null> {
  const def = JOB_DEFINITIONS[name];
  const data = def.schema.parse(payload);
  const boss = await getBoss();
  return boss.send(def.queue, data, { ...def.queueOptions, ...options });
}
