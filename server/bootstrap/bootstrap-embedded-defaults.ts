/** Registers what the repository ships (datasets, checkpoints) on start. Idempotent. */
export async function bootstrapEmbeddedDefaults({ log }: { log: (m: string) => void }): Promise<void> {
  log('embedded defaults: nothing to register yet');
}
