import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.ts';
import { databaseUrlOrThrow } from '../config.ts';
import { patiently } from './database-outage.ts';
import { perProcess } from '../per-process.ts';

/**
 * The only PrismaClient in the project: driver adapter (no native engine), one per process
 * (perProcess) so Next's hot reload does not open a new pool each time.
 */
const state = perProcess('Prisma', () => ({ prisma: undefined as PrismaClient | undefined }));

export function getDb(): PrismaClient {
  state.prisma ??= new PrismaClient({ adapter: outageAware(new PrismaPg({ connectionString: databaseUrlOrThrow(), max: 10 })) });
  return state.prisma;
}

/** The adapter with its statements and transaction starts repeated while the database is away (database-outage.ts). */
function outageAware(factory: PrismaPg): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      // Everything else (getConnectionInfo, dispose, …) is the adapter's own, reached through the prototype.
      return Object.assign(Object.create(adapter) as SqlDriverAdapter, {
        queryRaw: (q: Parameters<SqlDriverAdapter['queryRaw']>[0]) => patiently(() => adapter.queryRaw(q), q.sql),
        executeRaw: (q: Parameters<SqlDriverAdapter['executeRaw']>[0]) => patiently(() => adapter.executeRaw(q), q.sql),
        startTransaction: (isolation?: Parameters<SqlDriverAdapter['startTransaction']>[0]) => patiently(() => adapter.startTransaction(isolation), 'BEGIN'),
      });
    },
  };
}

export async function disconnectDb(): Promise<void> {
  await state.prisma?.$disconnect();
  state.prisma = undefined;
}

export type { PrismaClient };
/** The client an interactive `$transaction` hands its callback. */
export type DbTransaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
