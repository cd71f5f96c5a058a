import { getRunForApi } from '@/server/dashboard/run-api';
import { apiRoute, idParams } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ params: idParams }, async ({ params }) => Response.json(await getRunForApi(params.id)));
