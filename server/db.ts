import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { databaseUrlOrThrow } from './config.ts';

/**
 * The only PrismaClient in the project: driver adapter (no native engine), cached on
 * globalThis so Next's hot reload does not open a new pool each time.
 */
const g = globalThis as unknown as { __pixeldrivePrisma?: PrismaClient };

export function getDb(): PrismaClient {
  g.__pixeldrivePrisma ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrlOrThrow(), max: 10 }) });
  return g.__pixeldrivePrisma;
}

export async function disconnectDb(): Promise<void> {
  await g.__pixeldrivePrisma?.$disconnect();
  g.__pixeldrivePrisma = undefined;
}

export type { PrismaClient };
/** The client an interactive `$transaction` hands its callback. */
export type DbTransaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
