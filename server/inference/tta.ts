import { z } from 'zod';

/**
 * Test-time augmentation of an evaluation: 'none', or 'flip' = the logits of each frame and of
 * its mirror image (mirrored back) averaged before the argmax. A flip-averaged evaluation is its
 * own run and its own leaderboard row, never mixed with plain ones.
 */
export const TTA_MODES = ['none', 'flip'] as const;
export const ttaSchema = z.enum(TTA_MODES);
export type Tta = z.infer<typeof ttaSchema>;

const TTA_LABEL: Record<Tta, string> = { none: 'plain', flip: 'flip-averaged' };

/** How a run is named wherever runs of one checkpoint stand side by side: "U-Net" or "U-Net · flip-averaged". */
export function runDisplayName(checkpointName: string, tta: string): string {
  return tta === 'none' ? checkpointName : `${checkpointName} · ${TTA_LABEL[ttaSchema.parse(tta)]}`;
}
