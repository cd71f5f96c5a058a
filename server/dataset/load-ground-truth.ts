import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getDb } from '../db/client.ts';
import { labelPaletteSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';
import { decodeRegisteredLabel } from './decode.ts';
import type { LabelMap } from './image-types.ts';
import { applyIgnoreMask } from './hood-mask.ts';
import { hoodMasksOf } from './hood-masks-column.ts';

/** A registered image's ground truth with its dataset's ignore policy applied (hood → 255). */
export async function loadGroundTruth(imageId: string): Promise<LabelMap> {
  const row = await getDb().datasetImage.findUnique({ where: { id: imageId }, include: { dataset: true } });
  if (!row) throw new AppError('NOT_FOUND', `image ${imageId}`, 'No such image.');
  const file = path.resolve(row.dataset.root, row.labelPath);
  const hood = await hoodMasksOf(row.dataset);
  return applyIgnoreMask(
    await decodeRegisteredLabel(await readFile(file), file, parseJson(labelPaletteSchema, row.dataset.labelPalette, `${row.dataset.name} label palette`)),
    hood.get(row.subset) ?? null,
  );
}
